package dev.linen.ovs.db;

import java.util.Map;

/**
 * A VXLAN port: its name and the interface options (e.g. {@code remote_ip}, {@code key},
 * {@code dst_port}). The options given are the options the interface must have, exactly.
 */
public record VxlanPortSpec(String name, Map<String, String> options) {
    public VxlanPortSpec {
        Names.requireInterfaceName(name);
        options = Map.copyOf(options);
        if (!options.containsKey("remote_ip")) {
            throw new IllegalArgumentException("a VXLAN port needs remote_ip: " + name);
        }
    }
}
