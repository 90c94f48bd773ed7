package dev.linen.flaxd;

import dev.linen.flaxd.node.Commands;
import dev.linen.flaxd.node.IptablesMode;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.flaxd.tunnel.TunnelSpec;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;

/** The one way the flaxd tests start a flaxd: node-1 of 10.244.0.0/16 on a private OVS, free ports. */
final class TestFlaxd {
    private TestFlaxd() {
    }

    /** Starts a flaxd for {@code bridge} in {@code mode}, waiting at most {@code sync} for the Node list. */
    static Flaxd start(PrivateOvsExtension ovs, KubernetesClient client, String bridge, TunnelMode mode,
                       Duration sync) throws Exception {
        return start(ovs, client, bridge, mode, sync, java.util.Optional.empty());
    }

    /** As above, with the local API on {@code api}. */
    static Flaxd start(PrivateOvsExtension ovs, KubernetesClient client, String bridge, TunnelMode mode,
                       Duration sync, java.util.Optional<java.nio.file.Path> api) throws Exception {
        FlaxdConfig config = new FlaxdConfig("node-1", "netdev", new OvsdbEndpoint.UnixSocket(ovs.socket()),
                new TunnelSpec(bridge, mode, OptionalLong.empty(), 4789), "10.244.0.0/16",
                new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), false, IptablesMode.AUTO,
                api);
        Flaxd f = new Flaxd(config, client, Commands.inNetns(ovs.netns()));
        f.start(sync);
        return f;
    }
}
