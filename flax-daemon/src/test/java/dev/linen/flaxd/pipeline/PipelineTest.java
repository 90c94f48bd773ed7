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

    @Test
    void everyTableHasAMissFlowAndEachPeerTwoFlows() {
        List<Flow> flows = Pipeline.flows(new PipelineInput(5, Optional.of(LOCAL), List.of(N2, N3)), 7);
        // 4 misses, 2 classifier, 1 ingress, and ARP reply + L3 for each IPv4 peer range (IPv6 skipped)
        assertEquals(4 + 2 + 1 + 2 * 2, flows.size());
        Set<String> keys = new HashSet<>();
        for (Flow f : flows) {
            assertTrue(keys.add(f.key()), "one flow per table/priority/match: " + f);
            assertEquals(7, Cookies.roundOf(f.cookie()), "every cookie carries the round: " + f);
        }
        for (Table t : Table.values()) {
            assertTrue(flows.stream().anyMatch(f -> f.table() == t.id() && f.priority() == 0 && f.matches().isEmpty()),
                    "table-miss flow in " + t);
        }
    }

    @Test
    void peersTrafficGoesToThatPeerThroughTheTunnelPort() {
        Flow l3 = Pipeline.flows(new PipelineInput(5, Optional.empty(), List.of(N3)), 1).stream()
                .filter(f -> f.table() == Table.L3_FORWARDING.id() && f.priority() > 0).findFirst().orElseThrow();
        assertEquals("cookie=0x1030000000000, table=20, priority=200,ip,nw_dst=10.244.3.0/24 actions="
                + "set_field:0e:4c:4e:00:00:01->eth_src,load:0xa63000d->NXM_NX_TUN_IPV4_DST[],output:5", l3.toString());
    }

    @Test
    void withoutALocalPodRangeThereIsNoTunnelIngressFlow() {
        List<Flow> flows = Pipeline.flows(new PipelineInput(5, Optional.empty(), List.of()), 1);
        assertTrue(flows.stream().noneMatch(f -> f.table() == Table.TUNNEL_INGRESS.id() && f.priority() > 0));
        assertTrue(flows.stream().filter(f -> f.table() == Table.TUNNEL_INGRESS.id())
                .allMatch(f -> f.actions().equals(List.of(new Action.Drop()))));
    }

    @Test
    void cookieRoundsWrapAndAreMasked() {
        assertEquals(1, Cookies.next(Cookies.MAX_ROUND));
        assertEquals(3, Cookies.next(2));
        Cookie c = Cookies.of(0xabcd, Cookies.Category.ARP_RESPONDER);
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
