package dev.linen.flaxd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final PipelineInput.Local LOCAL =
            new PipelineInput.Local(Ipv4Prefix.parse("10.244.1.0/24"), MacAddress.parse("0a:58:0a:f4:01:01"));
    private static final Peer N2 = new Peer("n2", List.of("10.244.2.0/24", "fd00:2::/64"), "10.99.0.12");
    private static final Peer N3 = new Peer("n3", List.of("10.244.3.0/24"), "10.99.0.13");

    /** Request to reply: swap MACs (source = the virtual MAC), op 2, swap the addresses through reg0, back out. */
    static final String ARP_REPLY = "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:0e:4c:4e:00:00:01->eth_src,"
            + "set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:0e:4c:4e:00:00:01->arp_sha,"
            + "move:NXM_OF_ARP_TPA[]->NXM_NX_REG0[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],"
            + "move:NXM_NX_REG0[]->NXM_OF_ARP_SPA[],IN_PORT";

    /** The whole pipeline of node-1 (10.244.1.0/24) with peers n2 and n3, round 7, vxlan0 = port 5, by hand. */
    private static final List<String> NODE1_ROUND7 = List.of(
            "cookie=0x7010000000000, priority=0 actions=drop",
            "cookie=0x7010000000000, priority=200,in_port=5 actions=goto_table:30",
            "cookie=0x7010000000000, priority=200,in_port=LOCAL actions=goto_table:10",
            "cookie=0x7020000000000, table=10, priority=0 actions=goto_table:20",
            "cookie=0x7020000000000, table=10, priority=200,arp,arp_tpa=10.244.2.0/24,arp_op=1 actions=" + ARP_REPLY,
            "cookie=0x7020000000000, table=10, priority=200,arp,arp_tpa=10.244.3.0/24,arp_op=1 actions=" + ARP_REPLY,
            "cookie=0x7030000000000, table=20, priority=0 actions=drop",
            "cookie=0x7030000000000, table=20, priority=200,ip,nw_dst=10.244.2.0/24 actions="
                    + "set_field:0e:4c:4e:00:00:01->eth_src,load:0xa63000c->NXM_NX_TUN_IPV4_DST[],output:5",
            "cookie=0x7030000000000, table=20, priority=200,ip,nw_dst=10.244.3.0/24 actions="
                    + "set_field:0e:4c:4e:00:00:01->eth_src,load:0xa63000d->NXM_NX_TUN_IPV4_DST[],output:5",
            "cookie=0x7040000000000, table=30, priority=0 actions=drop",
            "cookie=0x7040000000000, table=30, priority=200,ip,nw_dst=10.244.1.0/24 actions="
                    + "set_field:0a:58:0a:f4:01:01->eth_dst,LOCAL");

    @Test
    void oneLocalNodeAndTwoPeersGiveTheseFlowsExactly() {
        List<Flow> flows = Pipeline.standard().flows(new PipelineInput(5, Optional.of(LOCAL), List.of(N2, N3)), 7);
        assertEquals(new java.util.TreeSet<>(NODE1_ROUND7),
                flows.stream().map(Flow::toString).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertEquals(NODE1_ROUND7.size(), flows.size(), "no flow twice");
        Set<String> keys = new HashSet<>();
        flows.forEach(f -> assertTrue(keys.add(f.key()), "one flow per table/priority/match: " + f));
    }

    @Test
    void tablesAreNumberedByStageAndNamedWithTheirFeature() {
        assertEquals(List.of("0 classifier classifier", "10 arp-responder arp-responder",
                        "20 l3-forwarding l3-forwarding", "30 tunnel-ingress tunnel-ingress"),
                Pipeline.standard().tables().stream().map(t -> t.number() + " " + t.table().name() + " " + t.feature()).toList());
        assertEquals(Optional.of("l3-forwarding"), Pipeline.standard().featureOf(new Cookie(0x7030000000000L)));
        assertEquals(Optional.empty(), Pipeline.standard().featureOf(new Cookie(0x30000000000L)), "no round: not flaxd's");
    }

    @Test
    void aPeersFlowsAreTaggedWithItsName() {
        List<Pipeline.OwnedFlow> owned = Pipeline.standard().owned(new PipelineInput(5, Optional.of(LOCAL), List.of(N2, N3)), 7);
        assertEquals(2, owned.stream().filter(o -> o.peer().equals(Optional.of("n3"))).count());
        assertEquals(7, owned.stream().filter(o -> o.peer().isEmpty()).count(), "4 misses, 2 classifier, 1 ingress");
    }

    /** A feature of one table, for build checks. */
    record OneTable(String name, Table.Stage stage, Table.Miss miss) implements Feature {
        @Override
        public List<Table> tables() {
            return List.of(new Table(name, stage, miss));
        }
    }

    @Test
    void aFeatureAddedInAnEarlierStageRenumbersTheLaterTables() {
        List<Feature> features = new java.util.ArrayList<>(Features.STANDARD);
        features.add(new OneTable("early", Table.Stage.CLASSIFY, new Table.Miss.Continue("arp-responder")));
        Pipeline p = Pipeline.build(features);
        assertEquals(0, p.tableNumber("classifier"), "same stage: feature order");
        assertEquals(10, p.tableNumber("early"));
        assertEquals(20, p.tableNumber("arp-responder"));
        assertEquals(40, p.tableNumber("tunnel-ingress"));
        assertEquals(5, p.category("early"));
    }

    @Test
    void aBadDeclarationIsRefusedByName() {
        Feature backwards = new OneTable("late", Table.Stage.DELIVER, new Table.Miss.Continue("classifier"));
        assertEquals("table late continues to classifier, which is not a later table", assertThrows(
                IllegalArgumentException.class, () -> Pipeline.build(List.of(Features.STANDARD.get(0), backwards))).getMessage());
        Feature unknown = new OneTable("late", Table.Stage.DELIVER, new Table.Miss.Continue("nowhere"));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.build(List.of(unknown)));
        Feature dup = new OneTable("classifier", Table.Stage.DELIVER, new Table.Miss.Drop());
        assertEquals("two features named classifier", assertThrows(IllegalArgumentException.class,
                () -> Pipeline.build(List.of(Features.STANDARD.get(0), dup))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Table("Bad Name", Table.Stage.CLASSIFY, new Table.Miss.Drop()));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.build(List.of()));
    }

    @Test
    void aFeatureCannotWriteIntoAnotherFeaturesTable() {
        FlowScope s = new FlowScope(Pipeline.standard(), Features.STANDARD.get(0), 1, 5);
        assertThrows(IllegalArgumentException.class, () -> s.flow("l3-forwarding", 1, List.of(), List.of(new Action.Drop())));
    }

    @Test
    void withoutALocalPodRangeThereIsNoTunnelIngressFlow() {
        List<Flow> flows = Pipeline.standard().flows(new PipelineInput(5, Optional.empty(), List.of()), 1);
        assertEquals(List.of("cookie=0x1040000000000, table=30, priority=0 actions=drop"),
                flows.stream().filter(f -> f.table() == 30).map(Flow::toString).toList());
    }

    @Test
    void cookieRoundsWrapAndAreMasked() {
        assertEquals(1, Cookies.next(Cookies.MAX_ROUND));
        assertEquals(3, Cookies.next(2));
        Cookie c = Cookies.of(0xabcd, 2);
        assertEquals(2, Cookies.categoryOf(c));
        assertThrows(IllegalArgumentException.class, () -> Cookies.of(1, 0));
        assertEquals(Cookies.round(0xabcd).value(), c.value() & Cookies.ROUND_MASK.value());
        assertThrows(IllegalArgumentException.class, () -> Cookies.round(0));
        assertThrows(IllegalArgumentException.class, () -> Cookies.round(Cookies.MAX_ROUND + 1));
    }

    @Test
    void roundHintsFromExternalIdsIgnoreGarbage() {
        assertEquals(List.of(3, 4), FlowProgrammer.parseRounds("3,4"));
        assertEquals(List.of(5), FlowProgrammer.parseRounds("x, 5,0,70000"));
        assertEquals(List.of(), FlowProgrammer.parseRounds(null));
    }
}
