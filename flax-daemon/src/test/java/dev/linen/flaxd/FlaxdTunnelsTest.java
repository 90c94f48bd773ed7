package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flaxd against fabric8's mock Kubernetes API server in CRUD mode (the one stand-in: no real
 * kube-apiserver can run here) and a real private OVS: Node objects become tunnel ports.
 */
@EnableKubernetesMockClient(crud = true)
class FlaxdTunnelsTest {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    static KubernetesClient client;
    private Flaxd flaxd;

    @AfterEach
    void stop() {
        if (flaxd != null) {
            flaxd.close();
        }
        client.nodes().delete();
        OVS.vsctl("--if-exists", "del-br", "brfx");
    }

    /** A Node; a null pod CIDR or InternalIP leaves it out (a node not ready yet). */
    static Node node(String name, String cidr, String ip) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (cidr != null) {
            b.withNewSpec().withPodCIDR(cidr).endSpec();
        }
        if (ip != null) {
            b.withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus();
        }
        return b.build();
    }

    private Flaxd start(TunnelMode mode) throws Exception {
        return TestFlaxd.start(OVS, client, "brfx", mode, DEADLINE);
    }

    /** The bridge's ports; none while there is no bridge yet. */
    private static List<String> ports() {
        if (!Arrays.asList(OVS.vsctl("list-br").split("\n")).contains("brfx")) {
            return List.of();
        }
        String out = OVS.vsctl("list-ports", "brfx");
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    /** Polls {@code have} until it equals {@code want}; fails after {@link #DEADLINE}. */
    static <T> void awaitEquals(T want, Supplier<T> have) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        T last = have.get();
        while (!want.equals(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + want + " within " + DEADLINE + ", still " + last);
            }
            Thread.onSpinWait();
            last = have.get();
        }
    }

    static String get(int port, String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path)).build();
        return http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void perNodeModeFollowsNodesComingAndGoing() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        flaxd = start(TunnelMode.PER_NODE);
        awaitEquals(List.of("vxif10_99_0_12"), FlaxdTunnelsTest::ports);
        assertEquals("{key=flow, remote_ip=\"10.99.0.12\"}", OVS.vsctl("get", "interface", "vxif10_99_0_12", "options"));

        client.nodes().resource(node("node-3", "10.244.3.0/24", "10.99.0.13")).create();
        awaitEquals(List.of("vxif10_99_0_12", "vxif10_99_0_13"), FlaxdTunnelsTest::ports);

        client.nodes().withName("node-2").delete();
        awaitEquals(List.of("vxif10_99_0_13"), FlaxdTunnelsTest::ports);

        String metrics = get(flaxd.httpPort(), "/metrics");
        assertTrue(metrics.contains("\nflaxd_peers 1\n"), metrics);
        assertTrue(metrics.contains("flaxd_reconcile_total{result=\"ok\"}"), metrics);
        assertEquals("ready\n", get(flaxd.httpPort(), "/readyz"));
        assertEquals("ok\n", get(flaxd.httpPort(), "/healthz"));

        String nat = OVS.exec(List.of("iptables-save", "-t", "nat")).stdout();
        assertEquals(1, nat.lines().filter("-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE"::equals)
                .count(), "masquerade for this node's pods leaving the cluster: " + nat);
    }

    @Test
    void nodesWithoutCidrOrAddressAreWaitedFor() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-4", null, "10.99.0.14")).create();
        flaxd = start(TunnelMode.PER_NODE);
        awaitEquals(1L, () -> flaxd.loop().successes() > 0 ? 1L : 0L);
        assertEquals(List.of(), ports());
        client.nodes().resource(node("node-4", "10.244.4.0/24", "10.99.0.14")).update();
        awaitEquals(List.of("vxif10_99_0_14"), FlaxdTunnelsTest::ports);
    }

    @Test
    void startRemovesTunnelsOfNodesThatNoLongerExist() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        OVS.vsctl("add-br", "brfx", "--", "set", "bridge", "brfx", "datapath_type=netdev",
                "--", "add-port", "brfx", "vxif10_99_0_99", "--", "set", "interface", "vxif10_99_0_99",
                "type=vxlan", "options:remote_ip=10.99.0.99", "options:key=flow");
        flaxd = start(TunnelMode.PER_NODE);
        awaitEquals(List.of(), FlaxdTunnelsTest::ports);
    }

    /** flaxd started while OVS is down waits for it instead of failing, and converges once it is up. */
    @Test
    void startsBeforeOvs() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        OVS.exec(List.of(PrivateOvsExtension.script().toString(), "stop", OVS.dir().toString())).orThrow("stop");
        try {
            flaxd = start(TunnelMode.PER_NODE);
        } finally {
            OVS.exec(List.of(PrivateOvsExtension.script().toString(), "start", OVS.dir().toString())).orThrow("start");
        }
        awaitEquals(List.of("vxif10_99_0_12"), FlaxdTunnelsTest::ports);
    }

    /** ovsdb-server and ovs-vswitchd restart (the database kept): flaxd opens a new session and repairs. */
    @Test
    void ovsRestartConverges() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        flaxd = start(TunnelMode.PER_NODE);
        awaitEquals(List.of("vxif10_99_0_12"), FlaxdTunnelsTest::ports);
        // a port lost behind flaxd's back; per-node mode reads the ports on a full pass, which every
        // new OVSDB session (the restart) starts, so the restart must bring it back
        OVS.vsctl("del-port", "brfx", "vxif10_99_0_12");
        OVS.exec(List.of(PrivateOvsExtension.script().toString(), "stop", OVS.dir().toString())).orThrow("stop");
        OVS.exec(List.of(PrivateOvsExtension.script().toString(), "start", OVS.dir().toString())).orThrow("start");
        awaitEquals(List.of("vxif10_99_0_12"), FlaxdTunnelsTest::ports);
    }

    /**
     * Hand damage to the node's plumbing (chains flushed, route deleted, br_netfilter's sysctl
     * turned off) is repaired within one tick.
     */
    @Test
    void flushedChainsAndADeletedRouteComeBackWithinOneTick() throws Exception {
        client.nodes().resource(node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        flaxd = start(TunnelMode.PER_NODE);
        Supplier<String> nat = () -> OVS.exec(List.of("iptables", "-t", "nat", "-S", "LINEN-POSTROUTING")).stdout();
        Supplier<String> fwd = () -> OVS.exec(List.of("iptables", "-t", "filter", "-S", "LINEN-FORWARD")).stdout();
        Supplier<String> route = () -> OVS.exec(List.of("ip", "route", "show", "10.244.0.0/16")).stdout().trim();
        String wantNat = "-N LINEN-POSTROUTING\n-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE\n";
        String wantFwd = "-N LINEN-FORWARD\n-A LINEN-FORWARD -s 10.244.0.0/16 -i kbr0 -j ACCEPT\n"
                + "-A LINEN-FORWARD -d 10.244.0.0/16 -o kbr0 -j ACCEPT\n";
        Supplier<String> brnf = () -> OVS.exec(List.of("sysctl", "-n", "net.bridge.bridge-nf-call-iptables")).stdout().strip();
        awaitEquals(wantNat, nat);
        awaitEquals("10.244.0.0/16 dev kbr0 scope link", route);
        awaitEquals(true, () -> metric("flaxd_br_netfilter 1"));
        OVS.exec(List.of("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0")).orThrow("sysctl");
        OVS.exec(List.of("iptables", "-t", "nat", "-F", "LINEN-POSTROUTING")).orThrow("flush nat");
        OVS.exec(List.of("iptables", "-t", "filter", "-F", "LINEN-FORWARD")).orThrow("flush filter");
        OVS.exec(List.of("ip", "route", "del", "10.244.0.0/16")).orThrow("route del");
        long damaged = System.nanoTime();
        awaitEquals(wantNat, nat);
        awaitEquals(wantFwd, fwd);
        awaitEquals("10.244.0.0/16 dev kbr0 scope link", route);
        awaitEquals("1", brnf);
        long took = (System.nanoTime() - damaged) / 1_000_000;
        assertTrue(took <= Flaxd.TICK.toMillis() + 1000, "repaired after " + took + " ms, a tick is " + Flaxd.TICK);
    }

    /** Whether flaxd's /metrics holds {@code line}. */
    private boolean metric(String line) {
        try {
            return get(flaxd.httpPort(), "/metrics").lines().anyMatch(line::equals);
        } catch (Exception e) {
            throw new AssertionError("GET /metrics failed", e);
        }
    }
}
