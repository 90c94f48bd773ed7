package dev.linen.flaxd.tunnel;

import dev.linen.ovs.db.Names;
import java.util.OptionalLong;

/**
 * The node's tunnel settings.
 *
 * @param bridge  the OVS bridge the tunnels live on
 * @param mode    flow-based port or a port per peer
 * @param vni     VXLAN network identifier; empty means {@code key=flow}
 * @param udpPort VXLAN UDP port (4789 by default)
 */
public record TunnelSpec(String bridge, TunnelMode mode, OptionalLong vni, int udpPort) {
    public static final String FLOW_PORT = "vxlan0";

    public TunnelSpec {
        Names.requireInterfaceName(bridge);
        if (vni.isPresent() && (vni.getAsLong() < 0 || vni.getAsLong() > 0xffffff)) {
            throw new IllegalArgumentException("VNI out of range 0..16777215: " + vni.getAsLong());
        }
        if (udpPort < 1 || udpPort > 65535) {
            throw new IllegalArgumentException("UDP port out of range: " + udpPort);
        }
    }

    String key() {
        return vni.isPresent() ? Long.toString(vni.getAsLong()) : "flow";
    }
}
