package dev.linen.flaxd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.flaxd.api.FlowDiffJson;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.openflow.InstalledFlow;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * node-1 (10.244.1.0/24) with peers n2 and n3, round 7, vxlan0 = port 5, against bridge contents
 * written by hand: which desired flows are installed or missing, which of the bridge's are extra.
 */
class FlowDiffTest {
    private static final PipelineInput INPUT = new PipelineInput(5,
            Optional.of(new PipelineInput.Local(Ipv4Prefix.parse("10.244.1.0/24"), MacAddress.parse("0a:58:0a:f4:01:01"))),
            List.of(new Peer("n2", List.of("10.244.2.0/24"), "10.99.0.12"), new Peer("n3", List.of("10.244.3.0/24"), "10.99.0.13")));
    private static final FlowProgrammer.Programmed ROUND7 =
            new FlowProgrammer.Programmed(7, Pipeline.standard().owned(INPUT, 7), 0);
    private static final String TO_N3 = "cookie=0x7030000000000, table=20, priority=200,ip,nw_dst=10.244.3.0/24 actions="
            + "set_field:0e:4c:4e:00:00:01->eth_src,load:0xa63000d->NXM_NX_TUN_IPV4_DST[],output:5";

    /** What the bridge holds: all of round 7 but n3's route, plus an old round's flow and a stranger's. */
    private static List<InstalledFlow> bridge() {
        return List.of(
                held(0, 0, 0x7010000000000L, "cookie=0x7010000000000, priority=0 actions=drop"),
                held(0, 200, 0x7010000000000L, "cookie=0x7010000000000, priority=200,in_port=5 actions=goto_table:30"),
                held(0, 200, 0x7010000000000L, "cookie=0x7010000000000, priority=200,in_port=LOCAL actions=goto_table:10"),
                held(10, 0, 0x7020000000000L, "cookie=0x7020000000000, table=10, priority=0 actions=goto_table:20"),
                held(10, 200, 0x7020000000000L, "cookie=0x7020000000000, table=10, priority=200,arp,arp_tpa=10.244.2.0/24,"
                        + "arp_op=1 actions=" + PipelineTest.ARP_REPLY),
                held(10, 200, 0x7020000000000L, "cookie=0x7020000000000, table=10, priority=200,arp,arp_tpa=10.244.3.0/24,"
                        + "arp_op=1 actions=" + PipelineTest.ARP_REPLY),
                held(20, 0, 0x7030000000000L, "cookie=0x7030000000000, table=20, priority=0 actions=drop"),
                held(20, 200, 0x7030000000000L, "cookie=0x7030000000000, table=20, priority=200,ip,nw_dst=10.244.2.0/24 actions="
                        + "set_field:0e:4c:4e:00:00:01->eth_src,load:0xa63000c->NXM_NX_TUN_IPV4_DST[],output:5"),
                held(20, 200, 0x6030000000000L, "cookie=0x6030000000000, table=20, priority=200,ip,nw_dst=10.244.9.0/24 actions=output:5"),
                held(30, 0, 0x7040000000000L, "cookie=0x7040000000000, table=30, priority=0 actions=drop"),
                held(30, 200, 0x7040000000000L, "cookie=0x7040000000000, table=30, priority=200,ip,nw_dst=10.244.1.0/24 actions="
                        + "set_field:0a:58:0a:f4:01:01->eth_dst,LOCAL"),
                held(40, 7, 0x77L, "cookie=0x77, table=40, priority=7,<unknown match: tcp_dst> actions=drop"));
    }

    private static InstalledFlow held(int table, int priority, long cookie, String text) {
        return new InstalledFlow(table, priority, new Cookie(cookie), text);
    }

    @Test
    void eachDesiredFlowIsInstalledOrMissingAndTheRestIsExtra() {
        FlowDiff d = FlowDiff.of(Pipeline.standard(), ROUND7, bridge());
        assertEquals(7, d.round());
        assertEquals(11, d.rows().size());
        assertEquals(10, d.count(FlowDiff.State.INSTALLED));
        assertEquals(List.of(new FlowDiff.Row(20, Optional.of("l3-forwarding"), Optional.of("l3-forwarding"), Optional.of("n3"),
                TO_N3, FlowDiff.State.MISSING)), d.rows().stream().filter(r -> r.state() == FlowDiff.State.MISSING).toList());
        assertEquals(List.of("20 l3-forwarding l3-forwarding", "40 ? -"), d.extra().stream().map(r -> r.table() + " "
                + r.tableName().orElse("?") + " " + r.feature().orElse("-")).toList(),
                "an old round's flow is still its feature's (the cookie's category); a stranger's is nobody's");
        assertEquals(false, d.clean());
    }

    @Test
    void aFilterKeepsOneTableOrOnePeer() {
        FlowDiff d = FlowDiff.of(Pipeline.standard(), ROUND7, bridge());
        FlowDiff n3 = d.filter(Optional.empty(), Optional.of("n3"));
        assertEquals(List.of("arp-responder INSTALLED", "l3-forwarding MISSING"),
                n3.rows().stream().map(r -> r.tableName().orElseThrow() + " " + r.state()).toList());
        assertEquals(List.of(), n3.extra(), "an extra flow belongs to no peer");
        FlowDiff ingress = d.filter(Optional.of("tunnel-ingress"), Optional.empty());
        assertEquals(List.of("30 tunnel-ingress deliver tunnel-ingress drop"), ingress.tables().stream()
                .map(t -> t.number() + " " + t.name() + " " + t.stage() + " " + t.feature() + " " + t.miss()).toList());
        assertEquals(true, ingress.clean());
    }

    @Test
    void theJsonReadsBackAsTheSameDiff() {
        FlowDiff d = FlowDiff.of(Pipeline.standard(), ROUND7, bridge());
        assertEquals(d, FlowDiffJson.read(FlowDiffJson.write(d)));
        assertEquals("{\"desired\":11,\"installed\":10,\"missing\":1,\"extra\":2}",
                FlowDiffJson.write(d).path("summary").toString());
    }
}
