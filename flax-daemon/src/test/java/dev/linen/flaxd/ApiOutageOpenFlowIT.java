package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linen.e2e.MockApiServer;
import dev.linen.e2e.NodeListFault;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.pipeline.Pipeline;
import dev.linen.flaxd.pipeline.PipelineInput;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flaxd restarted over a bridge a first flaxd programmed, while the Kubernetes API fails its first
 * Node lists: an HTTP 500, then a dropped connection (fabric8's mock API in CRUD mode with the lab's
 * faults, {@link MockApiServer}: the one stand-in). Until a list succeeds no flow, tunnel port or
 * node rule goes and {@code /readyz} answers 503 with the reason; then flaxd converges, a Node
 * created meanwhile included, and is ready. Real private OVS; this JVM runs in its network
 * namespace, so that the bridge reaches flaxd's OpenFlow controller on loopback.
 */
class ApiOutageOpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "brao";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Peer N2 = new Peer("node-2", List.of("10.244.2.0/24"), "10.99.0.12");
    private static final Peer N3 = new Peer("node-3", List.of("10.244.3.0/24"), "10.99.0.13");
    private static final Peer N4 = new Peer("node-4", List.of("10.244.4.0/24"), "10.99.0.14");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What a test opened, closed in reverse order after it. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    @AfterEach
    void stop() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
        OVS.vsctl("--if-exists", "del-br", BR);
        OVS.exec(List.of("ip", "link", "del", "kbr0"));
    }

    private <T extends AutoCloseable> T open(T thing) {
        opened.push(thing);
        return thing;
    }

    @Test
    void flowModeKeepsItsFlowsWhileNodeListsFailThenConverges() throws Exception {
        outage(TunnelMode.FLOW);
        assertTrue(kept(TunnelMode.FLOW).stream().anyMatch(f -> f.contains("nw_dst=10.244.4.0/24")),
                "node-4, created during the outage, has its flows");
    }

    @Test
    void perNodeModeKeepsItsTunnelsWhileNodeListsFailThenConverges() throws Exception {
        outage(TunnelMode.PER_NODE);
        assertEquals(Set.of("vxif10_99_0_12", "vxif10_99_0_13", "vxif10_99_0_14"), kept(TunnelMode.PER_NODE));
    }

    /**
     * A restart that would change the bridge (per-node mode's standalone bridge, now flow mode's
     * secure one) while the Node lists fail: the bridge forwards as the previous flaxd left it until
     * a list is in, then flaxd makes it its own.
     */
    @Test
    void aChangedBridgeWaitsForTheNodeList() throws Exception {
        firstRun(TunnelMode.PER_NODE);
        assertEquals("standalone", OVS.vsctl("get", "bridge", BR, "fail_mode"));
        MockApiServer api = open(MockApiServer.start(InetAddress.getLoopbackAddress(), 0,
                List.of(NodeListFault.HTTP_500, NodeListFault.DROP)));
        cluster(open(api.adminClient()), N2, N3);
        Flaxd flaxd = open(start(TunnelMode.FLOW, open(client(api)), Duration.ofSeconds(1)));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int samples = 0;
        while (true) {
            String failMode = OVS.vsctl("get", "bridge", BR, "fail_mode");   // read before the count:
            if (api.nodeLists() < 3) {                 // no list answered when it was read
                assertEquals("standalone", failMode, "the bridge was changed before a Node list was in");
                samples++;
            } else if (failMode.equals("secure")) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "flow mode's bridge not made within " + DEADLINE);
        }
        assertTrue(samples > 0, "the bridge was never read while the Node lists failed");
        // then flow mode converges and is ready (and its watch is open when the test stops it)
        while (!converged(TunnelMode.FLOW, N2, N3) || get(flaxd, "/readyz").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, () -> "flow mode not converged: " + kept(TunnelMode.FLOW));
        }
    }

    private void outage(TunnelMode mode) throws Exception {
        firstRun(mode);
        Set<String> before = kept(mode);
        Set<String> rules = nodeRules();
        assertFalse(rules.isEmpty(), "the first flaxd installed its node rules");
        MockApiServer api = open(MockApiServer.start(InetAddress.getLoopbackAddress(), 0,
                List.of(NodeListFault.HTTP_500, NodeListFault.DROP)));
        KubernetesClient admin = open(api.adminClient());
        cluster(admin, N2, N3);
        Flaxd flaxd = open(start(mode, open(client(api)), Duration.ofSeconds(1)));
        int notReady = watchUntilConverged(mode, api, admin, flaxd, before, rules);
        assertTrue(notReady > 0, "/readyz was never asked while the Node lists failed");
        HttpResponse<String> ready = get(flaxd, "/readyz");
        assertEquals(200, ready.statusCode(), ready.body());
        List<String> metrics = get(flaxd, "/metrics").body().lines().toList();
        assertTrue(metrics.contains("flaxd_informer_synced 1"), String.join("\n", metrics));
        assertTrue(metrics.contains("flaxd_informer_watching 1"), String.join("\n", metrics));
    }

    /**
     * Samples the bridge, the node rules and /readyz until flaxd has converged on node-2..4: nothing
     * of {@code before} or {@code rules} may go, and while the API has not answered a Node list
     * flaxd must not be ready. node-4 is created once the first list has failed. Returns how many
     * not-ready answers were seen.
     */
    private static int watchUntilConverged(TunnelMode mode, MockApiServer api, KubernetesClient admin, Flaxd flaxd,
            Set<String> before, Set<String> rules) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        boolean created = false;
        int notReady = 0;
        while (true) {
            Set<String> now = kept(mode);
            assertContains(before, now, "the bridge");
            assertContains(rules, nodeRules(), "the node rules");
            if (!created && api.nodeLists() >= 1) {
                create(admin, N4);
                created = true;
            }
            HttpResponse<String> readyz = get(flaxd, "/readyz");
            List<String> metrics = get(flaxd, "/metrics").body().lines().toList();
            if (api.nodeLists() < 3) { // asked before a list was answered (4 Nodes: one page): not synced
                assertEquals(503, readyz.statusCode(), "ready before a Node list succeeded: " + readyz.body());
                assertTrue(readyz.body().startsWith("not ready"), "a reason: " + readyz.body());
                assertTrue(metrics.contains("flaxd_informer_synced 0"), String.join("\n", metrics));
                notReady++;
            }
            if (created && converged(mode, N2, N3, N4)) {
                return notReady;
            }
            if (System.nanoTime() > deadline) {
                fail("not converged within " + DEADLINE + " (" + api.nodeLists() + " Node lists): " + now);
            }
        }
    }

    private static void assertContains(Set<String> before, Set<String> now, String what) {
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(now);
        assertTrue(gone.isEmpty(), "flaxd removed from " + what + ": " + gone);
    }

    /** A flaxd on a healthy API programs the bridge for node-2 and node-3, then stops. */
    private void firstRun(TunnelMode mode) throws Exception {
        try (MockApiServer api = MockApiServer.start(InetAddress.getLoopbackAddress(), 0, List.of());
             KubernetesClient admin = api.adminClient();
             KubernetesClient client = client(api)) {
            cluster(admin, N2, N3);
            try (Flaxd first = start(mode, client, DEADLINE)) {
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (!converged(mode, N2, N3)) {
                    assertTrue(System.nanoTime() < deadline, () -> "first flaxd did not converge: " + kept(mode));
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Whether the bridge holds what flaxd keeps for these peers (false while vxlan0 is not there yet). */
    private static boolean converged(TunnelMode mode, Peer... peers) {
        try {
            return kept(mode).equals(want(mode, peers));
        } catch (RuntimeException | AssertionError e) { // ovs-vsctl: no vxlan0 row yet
            return false;
        }
    }

    /** node-1 (this node) and these peers. */
    private static void cluster(KubernetesClient admin, Peer... peers) {
        admin.nodes().resource(FlaxdTunnelsTest.node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        for (Peer p : peers) {
            create(admin, p);
        }
    }

    private static void create(KubernetesClient admin, Peer p) {
        admin.nodes().resource(FlaxdTunnelsTest.node(p.name(), p.podCidrs().get(0), p.internalIp())).create();
    }

    /**
     * flaxd's client, without fabric8's own request retries (10, backing off from 100 ms, which
     * would hide two failed requests from the informer): each planned fault reaches the informer,
     * as every request does once an outage outlasts those retries.
     */
    private static KubernetesClient client(MockApiServer api) {
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    private static Flaxd start(TunnelMode mode, KubernetesClient client, Duration sync) throws Exception {
        return TestFlaxd.start(OVS, client, BR, mode, sync);
    }

    /** Flow mode: the bridge's flows without cookies (a new round may rewrite them). Per-node: its ports. */
    private static Set<String> kept(TunnelMode mode) {
        if (!Arrays.asList(OVS.vsctl("list-br").split("\n")).contains(BR)) {
            return Set.of();
        }
        String out = mode == TunnelMode.FLOW ? OVS.ofctl("--no-stats", "dump-flows", BR) : OVS.vsctl("list-ports", BR);
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(ApiOutageOpenFlowIT::withoutCookie)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String withoutCookie(String flow) {
        return flow.replaceFirst("^cookie=0x[0-9a-f]+, ", "");
    }

    /** What the bridge holds once flaxd has converged on these peers. */
    private static Set<String> want(TunnelMode mode, Peer... peers) {
        if (mode == TunnelMode.PER_NODE) {
            return Arrays.stream(peers).map(p -> "vxif" + p.internalIp().replace('.', '_'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        int tunnel = Integer.parseInt(OVS.vsctl("get", "interface", "vxlan0", "ofport"));
        var local = new PipelineInput.Local(Ipv4Prefix.parse("10.244.1.0/24"), NodeNetwork.gatewayMac("10.244.1.0/24"));
        return Pipeline.standard().flows(new PipelineInput(tunnel, Optional.of(local), List.of(peers)), 1).stream()
                .map(Flow::toString).map(ApiOutageOpenFlowIT::withoutCookie)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** flaxd's iptables rules in the node's namespace. */
    private static Set<String> nodeRules() {
        return OVS.exec(List.of("iptables-save")).orThrow("iptables-save").stdout().lines()
                .filter(l -> l.startsWith("-A LINEN")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static HttpResponse<String> get(Flaxd flaxd, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + flaxd.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
