package dev.linen.ovs.openflow.odl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.Match;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The text of a flow read back, and the netmasks a prefix can come back with. */
class FlowDumpsTest {

    @Test
    void aFlowOfTheModelIsFlowToString() {
        assertEquals("cookie=0x5, table=3, priority=9,ip,reg0=0x1,nw_dst=10.0.0.0/8 actions=output:2,goto_table:4",
                FlowDumps.text(3, 9, new Cookie(5), List.of(new Decoded.Known<>(new Match.IpDst(
                                Ipv4Prefix.parse("10.0.0.0/8"))), new Decoded.Known<>(new Match.Reg(0, 1, 0xffffffffL)),
                                new Decoded.Known<>(new Match.Ip())),
                        List.of(new Decoded.Known<>(new Action.Output(2)), new Decoded.Known<>(new Action.GotoTable(4)))));
    }

    @Test
    void unknownPartsAreNamedInPlace() {
        assertEquals("priority=7,ip,<unknown match: x> actions=<unknown action: y>,NORMAL",
                FlowDumps.text(0, 7, Cookie.NONE,
                        List.of(new Decoded.Unknown<>("<unknown match: x>"), new Decoded.Known<>(new Match.Ip())),
                        List.of(new Decoded.Unknown<>("<unknown action: y>"), new Decoded.Known<>(new Action.Normal()))));
        assertEquals("table=1, priority=0 actions=<unknown action: z>", FlowDumps.text(1, 0, Cookie.NONE,
                List.of(), List.of(new Decoded.Unknown<>("<unknown action: z>"))));
    }

    @Test
    void onlyContiguousNetmasksArePrefixes() {
        assertEquals(Optional.of(Ipv4Prefix.parse("10.1.0.0/16")),
                MatchDecoder.prefix("10.1.0.0", new byte[] {(byte) 255, (byte) 255, 0, 0}));
        assertEquals(Optional.of(Ipv4Prefix.host("10.1.2.3")), MatchDecoder.prefix("10.1.2.3", null));
        assertEquals(Optional.empty(), MatchDecoder.prefix("10.0.0.1", new byte[] {(byte) 255, 0, (byte) 255, 0}));
    }
}
