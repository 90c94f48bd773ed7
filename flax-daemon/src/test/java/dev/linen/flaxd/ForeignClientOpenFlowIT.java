package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.pipeline.Pipeline;
import dev.linen.flaxd.pipeline.PipelineInput;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.testing.ForeignOpenFlowClient;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Local processes that connect to flaxd's OpenFlow port as if they were the bridge — one claiming
 * the bridge's own datapath id, one another, one silent — get no flows and are closed, while the
 * real bridge (a private OVS; this JVM runs in its network namespace) keeps being programmed: a
 * Node added meanwhile has its flows on it within 1 s.
 */
@EnableKubernetesMockClient(crud = true)
class ForeignClientOpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "brfo";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    /** flaxd's handshake deadline (ControllerSpec.on) plus slack. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(8);
    private static final Duration JOIN = Duration.ofSeconds(1);
    private static final Peer N2 = new Peer("node-2", List.of("10.244.2.0/24"), "10.99.0.12");
    private static final Peer N3 = new Peer("node-3", List.of("10.244.3.0/24"), "10.99.0.13");
    private static final Peer N4 = new Peer("node-4", List.of("10.244.4.0/24"), "10.99.0.14");

    static KubernetesClient client;
    private Flaxd flaxd;
    private final List<ForeignOpenFlowClient> foreign = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ForeignOpenFlowClient c : foreign) {
            c.close();
        }
        if (flaxd != null) {
            flaxd.close();
        }
        client.nodes().delete();
        OVS.vsctl("--if-exists", "del-br", BR);
        OVS.exec(List.of("ip", "link", "del", "kbr0"));
    }

    @Test
    void foreignClientsGetNoFlowsAndTheBridgeKeepsBeingProgrammed() throws Exception {
        node(new Peer("node-1", List.of("10.244.1.0/24"), "10.99.0.11"));
        node(N2);
        flaxd = start();
        await(() -> expected(N2), DEADLINE);
        InetSocketAddress port = openflowPort();
        long bridge = Long.parseUnsignedLong(OVS.vsctl("get", "bridge", BR, "datapath_id").replace("\"", ""), 16);
        foreign.add(ForeignOpenFlowClient.connect(port, OptionalLong.of(bridge)));
        foreign.add(ForeignOpenFlowClient.connect(port, OptionalLong.of(bridge ^ 0x77)));
        foreign.add(ForeignOpenFlowClient.connect(port, OptionalLong.empty()));

        node(N3);
        await(() -> expected(N2, N3), JOIN);
        for (ForeignOpenFlowClient c : foreign) {
            c.awaitClosed(CLOSED_WITHIN);
            assertFalse(c.received().contains(ForeignOpenFlowClient.FLOW_MOD), "a foreign client got flows: "
                    + c.received());
        }
        assertEquals("true", OVS.vsctl("get", "controller", BR, "is_connected"), "the bridge's session stayed");
        node(N4);
        await(() -> expected(N2, N3, N4), JOIN);
        String metrics = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        assertTrue(metrics.contains("\nflaxd_openflow_connected 1\n"), metrics);
    }

    private Flaxd start() throws Exception {
        return TestFlaxd.start(OVS, client, BR, TunnelMode.FLOW, DEADLINE);
    }

    /** flaxd's OpenFlow port, from the controller target it gave the bridge. */
    private static InetSocketAddress openflowPort() {
        String target = OVS.vsctl("get-controller", BR);
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)));
    }

    private static void node(Peer p) {
        client.nodes().resource(FlaxdTunnelsTest.node(p.name(), p.podCidrs().get(0), p.internalIp())).create();
    }

    private static Set<String> dump() {
        return Arrays.stream(OVS.ofctl("--no-stats", "dump-flows", BR).split("\n")).map(String::trim)
                .filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The pipeline's flows for node-1 with these peers, in the bridge's current round. */
    private static Set<String> expected(Peer... peers) {
        int tunnel = Integer.parseInt(OVS.vsctl("get", "interface", "vxlan0", "ofport"));
        int round = Integer.parseInt(OVS.vsctl("get", "bridge", BR, "external_ids:linen-flow-round").replace("\"", ""));
        var local = new PipelineInput.Local(Ipv4Prefix.parse("10.244.1.0/24"), NodeNetwork.gatewayMac("10.244.1.0/24"));
        return Pipeline.standard().flows(new PipelineInput(tunnel, Optional.of(local), List.of(peers)), round).stream()
                .map(Flow::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Polls the bridge's flows until they are {@code want}, for at most {@code within}. */
    private static void await(java.util.function.Supplier<Set<String>> want, Duration within) {
        long start = System.nanoTime();
        while (true) {
            Set<String> have;
            Set<String> w;
            try {
                w = want.get();
                have = dump();
            } catch (RuntimeException | AssertionError e) {
                // the bridge or vxlan0 not there yet (ovs-vsctl failed)
                w = Set.of("not yet: " + e.getMessage());
                have = Set.of();
            }
            if (w.equals(have)) {
                return;
            }
            if (System.nanoTime() - start > within.toNanos()) {
                throw new AssertionError("expected within " + within + ": " + w + "\nstill: " + have);
            }
            Thread.onSpinWait();
        }
    }
}
