package dev.linen.flaxd;

import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.flaxd.tunnel.TunnelSpec;
import dev.linen.ovs.db.Names;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.OptionalLong;

/**
 * flaxd's settings, from the environment (the DaemonSet sets them).
 *
 * @param nodeName     this node ({@code NODE_NAME}, from the downward API)
 * @param datapathType {@code system} or {@code netdev} ({@code FLAXD_DATAPATH_TYPE})
 * @param ovsdb        OVSDB endpoint ({@code FLAXD_OVSDB}, default the system socket)
 * @param tunnels      bridge ({@code FLAXD_BRIDGE}, br0), mode ({@code FLAXD_TUNNEL_MODE}, flow),
 *                     VNI ({@code FLAXD_VNI}, flow) and UDP port ({@code FLAXD_VXLAN_PORT}, 4789)
 * @param clusterCidr  every pod address of the cluster ({@code FLAXD_CLUSTER_CIDR}, 10.244.0.0/16)
 * @param http         where /healthz, /readyz and /metrics listen ({@code FLAXD_HTTP}, 127.0.0.1:9753)
 * @param openflow     where flaxd's OpenFlow controller listens in flow mode; loopback only
 *                     ({@code FLAXD_OPENFLOW}, 127.0.0.1:6653); the bridge connects to it. Port 0
 *                     picks a free port (tests)
 */
public record FlaxdConfig(String nodeName, String datapathType, OvsdbEndpoint ovsdb, TunnelSpec tunnels,
                          String clusterCidr, InetSocketAddress http, InetSocketAddress openflow) {
    public FlaxdConfig {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("NODE_NAME is not set");
        }
        if (!datapathType.equals("system") && !datapathType.equals("netdev")) {
            throw new IllegalArgumentException("datapath type must be system or netdev: " + datapathType);
        }
        if (openflow.isUnresolved() || !openflow.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("FLAXD_OPENFLOW must be a loopback address and port: " + openflow);
        }
    }

    /** The bridge's controller target: flaxd itself, at the port its controller is bound to. */
    public static String controllerTarget(InetSocketAddress bound) {
        return "tcp:" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
    }

    public static FlaxdConfig fromEnv(Map<String, String> env) {
        String bridge = Names.requireInterfaceName(env.getOrDefault("FLAXD_BRIDGE", "br0"));
        String vni = env.getOrDefault("FLAXD_VNI", "flow");
        TunnelSpec tunnels = new TunnelSpec(bridge, TunnelMode.parse(env.getOrDefault("FLAXD_TUNNEL_MODE", "flow")),
                vni.equals("flow") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(vni)),
                Integer.parseInt(env.getOrDefault("FLAXD_VXLAN_PORT", "4789")));
        return new FlaxdConfig(env.get("NODE_NAME"), env.getOrDefault("FLAXD_DATAPATH_TYPE", "system"),
                OvsdbEndpoint.parse(env.getOrDefault("FLAXD_OVSDB", OvsdbEndpoint.DEFAULT_SOCKET.toString())),
                tunnels, env.getOrDefault("FLAXD_CLUSTER_CIDR", "10.244.0.0/16"),
                hostPort("FLAXD_HTTP", env.getOrDefault("FLAXD_HTTP", "127.0.0.1:9753")),
                hostPort("FLAXD_OPENFLOW", env.getOrDefault("FLAXD_OPENFLOW", "127.0.0.1:6653")));
    }

    private static InetSocketAddress hostPort(String name, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(name + " must be host:port: " + text);
        }
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }
}
