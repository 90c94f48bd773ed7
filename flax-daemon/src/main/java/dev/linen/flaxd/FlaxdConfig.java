package dev.linen.flaxd;

import dev.linen.flaxd.node.IptablesMode;
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
 * @param clusterCidr  every pod address of the cluster ({@code FLAXD_CLUSTER_CIDR}; required, no guess:
 *                     the cluster's {@code --cluster-cidr}); Nodes whose pod CIDR lies outside are skipped
 * @param http         where /healthz, /readyz and /metrics listen ({@code FLAXD_HTTP}, 127.0.0.1:9753);
 *                     loopback only unless {@code httpAnyAddress}
 * @param httpAnyAddress {@code FLAXD_HTTP_ALLOW_NON_LOOPBACK=true}: the operator allows a non-loopback
 *                     {@code FLAXD_HTTP} (e.g. for a Prometheus scraping the node's address)
 * @param iptables     which iptables backend ({@code FLAXD_IPTABLES}: auto, legacy or nft; auto)
 * @param openflow     where flaxd's OpenFlow controller listens in flow mode; loopback only
 *                     ({@code FLAXD_OPENFLOW}, 127.0.0.1:6653); the bridge connects to it. Port 0
 *                     picks a free port (tests)
 * @param api          the local API's unix socket for linenctl ({@code FLAXD_API},
 *                     {@value #DEFAULT_API}; {@code off}: none); absolute, its directory flaxd's alone
 */
public record FlaxdConfig(String nodeName, String datapathType, OvsdbEndpoint ovsdb, TunnelSpec tunnels,
                          String clusterCidr, InetSocketAddress http, InetSocketAddress openflow,
                          boolean httpAnyAddress, IptablesMode iptables, java.util.Optional<java.nio.file.Path> api) {
    public static final String DEFAULT_API = "/run/linen/flaxd/api.sock";

    public FlaxdConfig {
        if (api.isPresent() && (!api.get().isAbsolute() || api.get().getParent() == null
                || api.get().getParent().getParent() == null)) {
            throw new IllegalArgumentException("FLAXD_API must be an absolute path in a directory of its own: " + api.get());
        }
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("NODE_NAME is not set");
        }
        if (!datapathType.equals("system") && !datapathType.equals("netdev")) {
            throw new IllegalArgumentException("datapath type must be system or netdev: " + datapathType);
        }
        if (openflow.isUnresolved() || !openflow.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("FLAXD_OPENFLOW must be a loopback address and port: " + openflow);
        }
        if (!httpAnyAddress && (http.isUnresolved() || !http.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("FLAXD_HTTP must be a loopback address (or set"
                    + " FLAXD_HTTP_ALLOW_NON_LOOPBACK=true): " + http);
        }
        java.util.Objects.requireNonNull(iptables, "iptables");
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
                tunnels, clusterCidr(env.get("FLAXD_CLUSTER_CIDR")),
                hostPort("FLAXD_HTTP", env.getOrDefault("FLAXD_HTTP", "127.0.0.1:9753")),
                hostPort("FLAXD_OPENFLOW", env.getOrDefault("FLAXD_OPENFLOW", "127.0.0.1:6653")),
                bool("FLAXD_HTTP_ALLOW_NON_LOOPBACK", env.getOrDefault("FLAXD_HTTP_ALLOW_NON_LOOPBACK", "false")),
                IptablesMode.parse(env.getOrDefault("FLAXD_IPTABLES", "auto")),
                api(env.getOrDefault("FLAXD_API", DEFAULT_API)));
    }

    private static java.util.Optional<java.nio.file.Path> api(String text) {
        return text.equals("off") ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(text));
    }

    /** The cluster CIDR, required: a guessed one silently breaks every cluster that uses another. */
    private static String clusterCidr(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("FLAXD_CLUSTER_CIDR is not set: set it to the cluster's pod CIDR"
                    + " (kube-controller-manager --cluster-cidr, e.g. 10.244.0.0/16)");
        }
        return dev.linen.ovs.flow.Ipv4Prefix.parse(text.trim()).toString();
    }

    private static boolean bool(String name, String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + text);
        };
    }

    private static InetSocketAddress hostPort(String name, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(name + " must be host:port: " + text);
        }
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }
}
