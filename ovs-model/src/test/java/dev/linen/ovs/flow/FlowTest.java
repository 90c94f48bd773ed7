package dev.linen.ovs.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.flow.Action.EthField;
import dev.linen.ovs.flow.Action.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTest {
    private static final MacAddress VMAC = MacAddress.parse("aa:bb:cc:dd:ee:ff");

    @Test
    void printsLikeDumpFlows() {
        Flow arp = new Flow(1, 200, new Cookie(0x1234),
                List.of(new Match.Arp(), new Match.ArpTpa(Ipv4Prefix.parse("10.244.2.0/24")), new Match.ArpOp(1)),
                List.of(new Action.Move(Field.ETH_SRC, Field.ETH_DST), new Action.SetEth(EthField.SRC, VMAC),
                        new Action.SetArpOp(2), new Action.OutputInPort()));
        assertEquals("cookie=0x1234, table=1, priority=200,arp,arp_tpa=10.244.2.0/24,arp_op=1 actions="
                + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:aa:bb:cc:dd:ee:ff->eth_src,"
                + "set_field:2->arp_op,IN_PORT", arp.toString());
        Flow drop = new Flow(0, 0, Cookie.NONE, List.of(), List.of());
        assertEquals("priority=0 actions=drop", drop.toString());
    }

    @Test
    void valuesNormalise() {
        assertEquals("10.244.2.0/24", Ipv4Prefix.parse("10.244.2.77/24").toString());
        assertEquals("10.99.0.12", Ipv4Prefix.host("10.99.0.12").toString());
        assertTrue(Ipv4Prefix.parse("10.244.0.0/16").contains(Ipv4Prefix.parse("10.244.3.0/24")));
        assertEquals("0a:58:0a:f4:01:01", MacAddress.parse("0A:58:0a:F4:01:01").toString());
        assertEquals("reg0=0x1/0xff", new Match.Reg(0, 1, 0xff).toString());
        assertEquals("reg3=0x10", new Match.Reg(3, 0x10, 0xffffffffL).toString());
    }

    @Test
    void keyIgnoresCookieActionsAndMatchOrder() {
        Flow a = new Flow(2, 100, new Cookie(1), List.of(new Match.Ip(), new Match.IpDst(Ipv4Prefix.parse("10.244.2.0/24"))),
                List.of(new Action.Normal()));
        Flow b = new Flow(2, 100, new Cookie(2), List.of(new Match.IpDst(Ipv4Prefix.parse("10.244.2.0/24")), new Match.Ip()),
                List.of(new Action.Drop()));
        assertEquals(a.key(), b.key());
        assertNotEquals(a, b);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.1.1/24"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.1.1.1/33"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("aa:bb:cc"));
        assertThrows(IllegalArgumentException.class, () -> new Action.SetTunDst(Ipv4Prefix.parse("10.0.0.0/8")));
        assertThrows(IllegalArgumentException.class, () -> new Action.Move(Field.ETH_SRC, Field.ARP_SPA));
        assertThrows(IllegalArgumentException.class, () -> new Match.Reg(16, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Flow(255, 1, Cookie.NONE, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Flow(0, 1, Cookie.NONE, List.of(),
                List.of(new Action.Drop(), new Action.Normal())));
    }
}
