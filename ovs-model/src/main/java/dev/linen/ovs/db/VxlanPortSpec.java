package dev.linen.ovs.db;

import java.util.Map;

/**
 * A VXLAN port: its name, the interface options (e.g. {@code remote_ip}, {@code key},
 * {@code dst_port}) it must have exactly, and whether it is split-horizon: OVS's
 * {@code Port.protected}, so that NORMAL never forwards from one tunnel into another (a full mesh
 * of tunnels would otherwise loop broadcasts).
 */
public record VxlanPortSpec(String name, Map<String, String> options, boolean splitHorizon) {
    public VxlanPortSpec {
        Names.requireInterfaceName(name);
        options = Map.copyOf(options);
        if (!options.containsKey("remote_ip")) {
            throw new IllegalArgumentException("a VXLAN port needs remote_ip: " + name);
        }
    }

    /** A split-horizon tunnel port (what a mesh of peers needs). */
    public VxlanPortSpec(String name, Map<String, String> options) {
        this(name, options, true);
    }
}
