package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One malformed or clashing Node never blocks the others: for each kind of bad Node, flaxd (per-node
 * mode, on fabric8's CRUD mock API — the one stand-in — and a private OVS) still builds the good
 * peers' tunnels, a good Node that joins after the bad one gets its tunnel, the bad Node gets none,
 * is logged by name and counted under its reason. (The bad Node is created after node-2, so it is
 * the newcomer in a clash; its name sorts last so that creation times within one second agree.)
 */
@EnableKubernetesMockClient(crud = true)
class BadNodesTest {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String BR = "brbad";

    static KubernetesClient client;
    private Flaxd flaxd;
    /** Held: java.util.logging keeps loggers weakly, and a collected one loses its handler. */
    private static final Logger FLAXD_LOGS = Logger.getLogger("dev.linen.flaxd");
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void stop() {
        FLAXD_LOGS.removeHandler(capture);
        if (flaxd != null) {
            flaxd.close();
        }
        client.nodes().delete();
        OVS.vsctl("--if-exists", "del-br", BR);
    }

    private static Node node(String name, String cidr, String ip) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDRs(cidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus().build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "pod CIDR /33;                    10.244.50.0/33; 10.99.0.50; malformed_pod_cidr",
        "pod CIDR abc;                    abc;            10.99.0.50; malformed_pod_cidr",
        "IPv6-only InternalIP;            10.244.50.0/24; fd00::50;   no_ipv4_internal_ip",
        "overlaps this node's pod CIDR;   10.244.1.0/25;  10.99.0.50; overlaps_local_pod_cidr",
        "overlaps another Node's;         10.244.2.0/23;  10.99.0.50; overlaps_peer_pod_cidr",
        "InternalIP of another Node;      10.244.50.0/24; 10.99.0.12; duplicate_internal_ip",
        "pod CIDR equal to the cluster's; 10.244.0.0/16;  10.99.0.50; outside_cluster_cidr",
        "pod CIDR outside the cluster's;  10.96.50.0/24;  10.99.0.50; outside_cluster_cidr",
    })
    void goodPeersConvergeAroundABadNode(String kind, String cidr, String ip, String reason) throws Exception {
        FLAXD_LOGS.addHandler(capture);
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        client.nodes().resource(node("zz-bad", cidr, ip)).create();
        flaxd = start();
        FlaxdTunnelsTest.awaitEquals(List.of("vxif10_99_0_12"), BadNodesTest::ports);
        client.nodes().resource(node("node-3", "10.244.3.0/24", "10.99.0.13")).create();
        FlaxdTunnelsTest.awaitEquals(List.of("vxif10_99_0_12", "vxif10_99_0_13"), BadNodesTest::ports);

        String metrics = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        assertTrue(metrics.contains("\nflaxd_nodes_rejected{reason=\"" + reason + "\"} 1\n"), metrics);
        assertTrue(metrics.contains("\nflaxd_node_rejections_total{reason=\"" + reason + "\"} 1\n"), metrics);
        assertTrue(metrics.contains("\nflaxd_peers 2\n"), metrics);
        List<String> about = new ArrayList<>(logged.stream().filter(m -> m != null && m.contains("zz-bad")).toList());
        assertTrue(about.size() == 1 && about.get(0).startsWith("Node zz-bad skipped (" + reason + ")"),
                "one log line naming the bad Node: " + about);
    }

    private Flaxd start() throws Exception {
        return TestFlaxd.start(OVS, client, BR, TunnelMode.PER_NODE, DEADLINE);
    }

    private static List<String> ports() {
        if (!Arrays.asList(OVS.vsctl("list-br").split("\n")).contains(BR)) {
            return List.of();
        }
        String out = OVS.vsctl("list-ports", BR);
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
}
