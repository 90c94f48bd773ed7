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
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flaxd in flow mode against fabric8's mock Kubernetes API in CRUD mode (the one stand-in) and a real
 * private OVS whose bridge connects to flaxd's controller on loopback (this JVM runs in the OVS's
 * network namespace, see scripts/netns/bin/java). Flows are read back with ovs-ofctl and walked
 * with ofproto/trace.
 */
@EnableKubernetesMockClient(crud = true)
class FlowModeOpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "brfl";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    static KubernetesClient client;
    private Flaxd flaxd;

    @AfterEach
    void stop() {
        if (flaxd != null) {
            flaxd.close();
        }
        client.nodes().delete();
        OVS.vsctl("--if-exists", "del-br", BR);
        OVS.exec(List.of("ip", "link", "del", "kbr0"));
    }

    private Flaxd start() throws Exception {
        return TestFlaxd.start(OVS, client, BR, TunnelMode.FLOW, DEADLINE);
    }

    static Set<String> dump() {
        return Arrays.stream(OVS.ofctl("--no-stats", "dump-flows", BR).split("\n")).map(String::trim)
                .filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    static int round() {
        return Integer.parseInt(OVS.vsctl("get", "bridge", BR, "external_ids:linen-flow-round").replace("\"", ""));
    }

    /** The flows the pipeline defines for node-1 with these peers, in the bridge's current round. */
    static Set<String> expected(Peer... peers) {
        int tunnel = Integer.parseInt(OVS.vsctl("get", "interface", "vxlan0", "ofport"));
        var local = new PipelineInput.Local(Ipv4Prefix.parse("10.244.1.0/24"), NodeNetwork.gatewayMac("10.244.1.0/24"));
        return Pipeline.standard().flows(new PipelineInput(tunnel, Optional.of(local), List.of(peers)), round()).stream()
                .map(Flow::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    static <T> void awaitEquals(Supplier<T> want, Supplier<T> have) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            try {
                T w = want.get();
                T h = have.get();
                if (w.equals(h)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("expected " + w + " within " + DEADLINE + ", still " + h);
                }
            } catch (RuntimeException | AssertionError e) {
                // e.g. vxlan0 not created yet
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.onSpinWait();
        }
    }

    static String trace(String flow) {
        return OVS.exec(List.of("ovs-appctl", "-t", OVS.dir().resolve("ovs-vswitchd.ctl").toString(),
                "ofproto/trace", BR, flow)).orThrow("trace " + flow).stdout();
    }

    static final Peer N2 = new Peer("node-2", List.of("10.244.2.0/24"), "10.99.0.12");
    static final Peer N3 = new Peer("node-3", List.of("10.244.3.0/24"), "10.99.0.13");

    private void cluster(Peer... peers) {
        client.nodes().resource(FlaxdTunnelsTest.node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        for (Peer p : peers) {
            client.nodes().resource(FlaxdTunnelsTest.node(p.name(), p.podCidrs().get(0), p.internalIp())).create();
        }
    }

    @Test
    void bridgeIsSecureWithFlaxdAsItsOnlyController() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> "true", () -> OVS.vsctl("get", "controller", BR, "is_connected"));
        assertEquals("secure", OVS.vsctl("get", "bridge", BR, "fail_mode"));
        assertEquals("[OpenFlow13]", OVS.vsctl("get", "bridge", BR, "protocols"));
        String target = OVS.vsctl("get-controller", BR);
        assertTrue(target.matches("tcp:127\\.0\\.0\\.1:[0-9]+"), target);
        // the bridge connects to the controller as soon as it exists; vxlan0 follows in the same full pass
        awaitEquals(() -> List.of("vxlan0"), () -> Arrays.asList(OVS.vsctl("list-ports", BR).split("\n")));
        assertEquals("{key=flow, remote_ip=flow}", OVS.vsctl("get", "interface", "vxlan0", "options"));
    }

    @Test
    void pipelineIsInstalledAndFollowsNodes() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        client.nodes().resource(FlaxdTunnelsTest.node("node-3", "10.244.3.0/24", "10.99.0.13")).create();
        awaitEquals(() -> expected(N2, N3), FlowModeOpenFlowIT::dump);
        client.nodes().withName("node-2").delete();
        awaitEquals(() -> expected(N3), FlowModeOpenFlowIT::dump);
        assertFalse(dump().stream().anyMatch(l -> l.contains("10.244.2.0/24")), "node-2's flows are gone");
        String metrics = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        assertTrue(metrics.contains("\nflaxd_openflow_connected 1\n"), metrics);
        assertTrue(metrics.contains("\nflaxd_flows " + expected(N3).size() + "\n"), metrics);
        assertEquals("ready\n", FlaxdTunnelsTest.get(flaxd.httpPort(), "/readyz"));
    }

    /** Cookie of category {@code cat} in {@code round}: round in the top 16 bits, category in the next 8. */
    static String cookie(int round, int cat) {
        return "cookie=0x" + Long.toHexString((long) round << 48 | (long) cat << 40);
    }

    /**
     * node-1's flows for peers node-2 and node-3 written by hand from the pipeline's description
     * (README), not from Pipeline: only the round and vxlan0's OpenFlow port are read from OVS.
     */
    static Set<String> handWritten(int r, String tunnel) {
        String arpReply = "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:0e:4c:4e:00:00:01->eth_src,"
                + "set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:0e:4c:4e:00:00:01->arp_sha,"
                + "move:NXM_OF_ARP_TPA[]->NXM_NX_REG0[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
                + "move:NXM_NX_REG0[]->NXM_OF_ARP_SPA[],IN_PORT";
        return new TreeSet<>(List.of(
                cookie(r, 1) + ", priority=0 actions=drop",
                cookie(r, 1) + ", priority=200,in_port=" + tunnel + " actions=goto_table:30",
                cookie(r, 1) + ", priority=200,in_port=LOCAL actions=goto_table:10",
                cookie(r, 2) + ", table=10, priority=0 actions=goto_table:20",
                cookie(r, 2) + ", table=10, priority=200,arp,arp_tpa=10.244.2.0/24,arp_op=1 actions=" + arpReply,
                cookie(r, 2) + ", table=10, priority=200,arp,arp_tpa=10.244.3.0/24,arp_op=1 actions=" + arpReply,
                cookie(r, 3) + ", table=20, priority=0 actions=drop",
                cookie(r, 3) + ", table=20, priority=200,ip,nw_dst=10.244.2.0/24 actions=set_field:0e:4c:4e:00:00:01->eth_src,"
                        + "load:0xa63000c->NXM_NX_TUN_IPV4_DST[],output:" + tunnel,
                cookie(r, 3) + ", table=20, priority=200,ip,nw_dst=10.244.3.0/24 actions=set_field:0e:4c:4e:00:00:01->eth_src,"
                        + "load:0xa63000d->NXM_NX_TUN_IPV4_DST[],output:" + tunnel,
                cookie(r, 4) + ", table=30, priority=0 actions=drop",
                cookie(r, 4) + ", table=30, priority=200,ip,nw_dst=10.244.1.0/24 actions="
                        + "set_field:0a:58:0a:f4:01:01->eth_dst,LOCAL"));
    }

    @Test
    void theBridgeHoldsExactlyTheHandWrittenFlowsAndAJoinCostsAtMostFourMessages() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        String before = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        client.nodes().resource(FlaxdTunnelsTest.node("node-3", "10.244.3.0/24", "10.99.0.13")).create();
        awaitEquals(() -> handWritten(round(), OVS.vsctl("get", "interface", "vxlan0", "ofport")), FlowModeOpenFlowIT::dump);
        // node-3's ARP reply and L3 flow, one barrier. The loop is one thread: once a reconcile has
        // finished after OVS showed the flows, the join's own has (its messages are counted at its end)
        long okSeen = reconciled(FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics"));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String after = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        while (reconciled(after) <= okSeen && System.nanoTime() < deadline) {
            after = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        }
        assertTrue(reconciled(after) > okSeen, "a reconcile finished after the join's flows were in");
        long sent = peerMessages(after) - peerMessages(before);
        assertTrue(sent >= 3 && sent <= 4, "a join sends its own flow mods and a barrier, got " + sent);
    }

    private static long reconciled(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("flaxd_reconcile_total{result=\"ok\"} "))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long peerMessages(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("flaxd_openflow_messages_total{cause=\"peers\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void arpForARemotePodIsAnsweredInsideOvsAndNothingElseEntersTheTunnel() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        String gw = NodeNetwork.gatewayMac("10.244.1.0/24").toString();
        String vmac = dev.linen.flaxd.pipeline.Features.VIRTUAL_MAC.toString();
        String reply = trace("in_port=LOCAL,arp,arp_op=1,dl_src=" + gw + ",dl_dst=ff:ff:ff:ff:ff:ff,arp_sha=" + gw
                + ",arp_spa=10.244.1.1,arp_tpa=10.244.2.7");
        assertTrue(reply.contains("Datapath actions: set(eth(src=" + vmac + ",dst=" + gw + ")),set(arp(sip=10.244.2.7,"
                + "tip=10.244.1.1,op=2,sha=" + vmac + ",tha=" + gw + ")),"), "a reply from the virtual MAC: " + reply);
        assertFalse(reply.contains("tunnel"), "an ARP is never tunnelled: " + reply);
        String local = trace("in_port=LOCAL,arp,arp_op=1,dl_src=" + gw + ",dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.244.1.5,"
                + "arp_tpa=10.244.1.1");
        assertTrue(local.contains("Datapath actions: drop"), "a local ARP goes nowhere: " + local);
        String ip = trace("in_port=LOCAL,ip,dl_dst=" + vmac + ",nw_src=10.244.1.5,nw_dst=10.244.2.7");
        assertTrue(ip.contains("load:0xa63000c->NXM_NX_TUN_IPV4_DST[]"), ip);
        assertTrue(ip.contains("output:" + OVS.vsctl("get", "interface", "vxlan0", "ofport")), ip);
        String elsewhere = trace("in_port=LOCAL,ip,dl_dst=" + vmac + ",nw_src=10.244.1.5,nw_dst=8.8.8.8");
        assertTrue(elsewhere.contains("Datapath actions: drop"), "no tunnel for addresses outside peers: " + elsewhere);
        String in = trace("in_port=" + OVS.vsctl("get", "interface", "vxlan0", "ofport")
                + ",ip,dl_src=" + vmac + ",dl_dst=" + vmac + ",nw_src=10.244.2.7,nw_dst=10.244.1.5");
        assertTrue(in.contains("set_field:" + gw + "->eth_dst\n    LOCAL"), "tunnel ingress goes to the gateway: " + in);
        assertTrue(in.contains("Datapath actions: set(eth(dst=" + gw + ")),1"), in);
    }

    @Test
    void restartInstallsANewRoundWithoutAGapAndRemovesTheOld() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        int before = round();
        flaxd.close();
        flaxd = null;
        assertTrue(dump().stream().anyMatch(l -> l.contains("nw_dst=10.244.2.0/24")),
                "flows stay while flaxd is down (fail_mode=secure)");
        flaxd = start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (round() == before || !dump().equals(expected(N2))) {
            Set<String> now = dump();
            assertTrue(now.stream().anyMatch(l -> l.contains("nw_dst=10.244.2.0/24")), "gap in forwarding: " + now);
            assertTrue(System.nanoTime() < deadline, "new round not installed: " + now);
        }
        assertEquals(before + 1, round());
        assertEquals("\"" + round() + "\"", OVS.vsctl("get", "bridge", BR, "external_ids:linen-flow-rounds-live"));
    }

    /**
     * vxlan0 given another OpenFlow port (as a recreated port gets): the next check (2 s) moves
     * every flow naming the tunnel to the new number, in the same round. Without the check of the
     * port the flow counts still match, and only the 60 s full pass would notice.
     */
    @Test
    void aRenumberedTunnelPortIsFollowedByTheNextCheck() throws Exception {
        cluster(N2, N3);
        flaxd = start();
        awaitEquals(() -> expected(N2, N3), FlowModeOpenFlowIT::dump);
        int before = round();
        assertTrue(!OVS.vsctl("get", "interface", "vxlan0", "ofport").equals("77"), "the test's number is new");
        OVS.vsctl("set", "interface", "vxlan0", "ofport_request=77");
        awaitEquals(() -> "77", () -> OVS.vsctl("get", "interface", "vxlan0", "ofport"));
        awaitEquals(() -> handWritten(before, "77"), FlowModeOpenFlowIT::dump);
        assertEquals(before, round(), "the flows were updated in place, not by a new round");
    }

    /** A flow deleted by hand comes back, and one added by hand goes, with the next resync (2 s). */
    @Test
    void handEditsAreRepaired() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        int before = round();
        Set<String> was = expected(N2);
        OVS.ofctl("del-flows", "--strict", BR, "table=20,priority=200,ip,nw_dst=10.244.2.0/24");
        OVS.ofctl("add-flow", BR, "table=0,priority=300,actions=NORMAL");
        // the edits show, unless flaxd's 2 s check has already repaired them with a new round
        assertTrue(!dump().equals(was) || round() > before);
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        assertTrue(round() > before, "repaired by a new round");
    }

    @Test
    void vswitchdRestartIsReplayed() throws Exception {
        cluster(N2);
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        OVS.restartVswitchd();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
    }

    @Test
    void staleFlowsOfAnEarlierRoundAreRemovedAtStart() throws Exception {
        cluster(N2);
        OVS.vsctl("add-br", BR, "--", "set", "bridge", BR, "datapath_type=netdev", "protocols=OpenFlow13",
                "external_ids:linen-flow-round=7", "external_ids:linen-flow-rounds-live=6,7");
        OVS.ofctl("add-flow", BR, "cookie=0x0006000000000000,table=20,priority=200,ip,nw_dst=10.244.9.0/24,actions=drop");
        OVS.ofctl("add-flow", BR, "cookie=0x0007000000000000,table=20,priority=200,ip,nw_dst=10.244.8.0/24,actions=drop");
        flaxd = start();
        awaitEquals(() -> expected(N2), FlowModeOpenFlowIT::dump);
        assertEquals(8, round());
    }
}
