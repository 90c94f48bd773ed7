package dev.linen.flaxd.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linen.ovs.flow.Ipv4Prefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trace on flaxd documents and OVS text written by hand (node-1 with peers node-2, node-3). */
class TraceTest {
    static final JsonNode STATUS = json("""
            {"node":"node-1","bridge":"br0","internalIp":"10.99.0.11","podCidr":"10.244.1.0/24",
             "peers":[{"name":"node-2","podCidrs":["10.244.2.0/24","fd00:2::/64"],"internalIp":"10.99.0.12"},
                      {"name":"node-3","podCidrs":["10.244.3.0/24"],"internalIp":"10.99.0.13"}]}""");
    static final JsonNode PIPELINE = json("""
            {"mode":"flow","bridge":"br0","round":2,
             "tables":[{"number":0,"name":"classifier"},{"number":10,"name":"arp-responder"},
                       {"number":20,"name":"l3-forwarding"},{"number":30,"name":"tunnel-ingress"}],
             "flows":[{"table":0,"tableName":"classifier","feature":"classifier","peer":null,"cookie":"0x2010000000000",
                       "flow":"cookie=0x2010000000000, priority=200,in_port=LOCAL actions=goto_table:10"},
                      {"table":10,"tableName":"arp-responder","feature":"arp-responder","peer":null,"cookie":"0x2020000000000",
                       "flow":"cookie=0x2020000000000, table=10, priority=0 actions=goto_table:20"},
                      {"table":20,"tableName":"l3-forwarding","feature":"l3-forwarding","peer":"node-3","cookie":"0x2030000000000",
                       "flow":"cookie=0x2030000000000, table=20, priority=200,ip,nw_dst=10.244.3.0/24 actions=output:1"}]}""");

    static JsonNode json(String text) {
        try {
            return ApiClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Trace.Packet packet(String proto, String src, String dst, Optional<Integer> dport) {
        return new Trace.Packet(proto, Ipv4Prefix.parse(src), Ipv4Prefix.parse(dst), dport);
    }

    @Test
    void thePacketEntersWhereAPodsPacketWould() throws Exception {
        assertEquals(Optional.of("tcp,in_port=LOCAL,dl_dst=0e:4c:4e:00:00:01,nw_src=10.244.1.5,nw_dst=10.244.3.7,tp_dst=80"),
                Trace.flow(STATUS, packet("tcp", "10.244.1.5", "10.244.3.7", Optional.of(80))));
        assertEquals(Optional.of("icmp,icmp_type=8,in_port=vxlan0,tun_src=10.99.0.12,tun_dst=10.99.0.11,"
                        + "dl_src=0e:4c:4e:00:00:01,dl_dst=0e:4c:4e:00:00:01,nw_src=10.244.2.7,nw_dst=10.244.1.5"),
                Trace.flow(STATUS, packet("icmp", "10.244.2.7", "10.244.1.5", Optional.empty())));
        assertEquals(Optional.empty(), Trace.flow(STATUS, packet("udp", "10.244.1.5", "10.244.1.6", Optional.empty())),
                "pod to pod on one node: the Linux bridge's");
        assertThrows(CtlException.class, () -> Trace.flow(STATUS, packet("udp", "10.1.1.1", "10.244.1.6", Optional.empty())));
        assertThrows(IllegalArgumentException.class, () -> packet("sctp", "10.244.1.5", "10.244.1.6", Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> packet("icmp", "10.244.1.5", "10.244.1.6", Optional.of(80)));
        assertThrows(IllegalArgumentException.class, () -> packet("tcp", "10.244.1.0/24", "10.244.1.6", Optional.empty()));
    }

    static final String TO_NODE3 = """
            Flow: tcp,in_port=LOCAL,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=0e:4c:4e:00:00:01,nw_src=10.244.1.5,nw_dst=10.244.3.7

            bridge("br0")
            -------------
             0. in_port=LOCAL, priority 200, cookie 0x2010000000000
                goto_table:10
            10. priority 0, cookie 0x2020000000000
                goto_table:20
            20. ip,nw_dst=10.244.3.0/24, priority 200, cookie 0x2030000000000
                set_field:0e:4c:4e:00:00:01->eth_src
                load:0xa63000d->NXM_NX_TUN_IPV4_DST[]
                output:1
                 -> output to native tunnel
                 -> tunneling to 10.99.0.13 via br-phy

            bridge("br-phy")
            ----------------
                 0. priority 0
                    NORMAL

            Final flow: unchanged
            Datapath actions: tnl_push(tnl_port(4789),header(size=50,type=4,eth(dst=aa:bb:cc:dd:ee:ff)),out_port(2)),3
            """;

    @Test
    void aWalkIsReadWithTableAndFeatureNamesAndTheTunnelsPeer() {
        Trace.Result r = Trace.read("f", TO_NODE3, STATUS, PIPELINE);
        assertEquals(List.of(new Trace.Step(0, "classifier", "classifier", 200, "in_port=LOCAL", List.of("goto_table:10")),
                new Trace.Step(10, "arp-responder", "arp-responder", 0, "", List.of("goto_table:20")),
                new Trace.Step(20, "l3-forwarding", "l3-forwarding", 200, "ip,nw_dst=10.244.3.0/24",
                        List.of("set_field:0e:4c:4e:00:00:01->eth_src", "load:0xa63000d->NXM_NX_TUN_IPV4_DST[]", "output:1"))),
                r.steps(), "br-phy's step is not br0's");
        assertEquals("tunnelled through vxlan0 to node node-3 (10.99.0.13)", r.verdict());
    }

    @Test
    void aMissThatDropsIsNamed() {
        String out = """
                 0. in_port=LOCAL, priority 200, cookie 0x2010000000000
                    goto_table:10
                10. priority 0, cookie 0x2020000000000
                    goto_table:20
                20. priority 0, cookie 0x2030000000000
                    drop

                Final flow: unchanged
                Datapath actions: drop
                """;
        assertEquals("dropped by table 20 l3-forwarding (feature l3-forwarding, table miss)",
                Trace.read("f", out, STATUS, PIPELINE).verdict());
        String foreign = " 0. priority 100, cookie 0x77\n    drop\nDatapath actions: drop\n";
        assertEquals("dropped by table 0 classifier (feature not flaxd's)", Trace.read("f", foreign, STATUS, PIPELINE).verdict());
    }
}
