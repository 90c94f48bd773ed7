package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.inet.types.rev130715.Ipv4Address;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.EtherType;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.common.types.rev130731.PortNumber;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.ArpOp;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.ArpTpa;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.EthDst;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.EthType;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.InPort;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.Ipv4Dst;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.Ipv4Src;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.MatchField;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.OpenflowBasicClass;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.OxmMatchType;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.TunnelId;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntry;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntryBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.MatchEntryValue;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpOpCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpTpaCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthDstCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthTypeCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.InPortCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.Ipv4DstCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.Ipv4SrcCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.TunnelIdCaseBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.arp.op._case.ArpOpBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.arp.tpa._case.ArpTpaBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.eth.dst._case.EthDstBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.eth.type._case.EthTypeBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.in.port._case.InPortBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ipv4.dst._case.Ipv4DstBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ipv4.src._case.Ipv4SrcBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.tunnel.id._case.TunnelIdBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.grouping.MatchBuilder;
import org.opendaylight.yangtools.yang.common.Uint16;
import org.opendaylight.yangtools.yang.common.Uint32;

/** Our {@link Match} values as OpenFlow 1.3 OXM match entries (openflowjava's types). */
final class OxmMatches {
    static final long OFPP_LOCAL = 0xfffffffeL;

    private OxmMatches() {
    }

    static org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.grouping.Match of(
            List<Match> matches) {
        List<MatchEntry> entries = new ArrayList<>();
        for (Match m : matches) {
            entries.add(entry(m));
        }
        return new MatchBuilder().setType(OxmMatchType.VALUE).setMatchEntry(entries).build();
    }

    private static MatchEntry entry(Match m) {
        return switch (m) {
            case Match.InPort p -> basic(InPort.VALUE, false, inPort(p.port()));
            case Match.InPortLocal l -> basic(InPort.VALUE, false, inPort(OFPP_LOCAL));
            case Match.Arp a -> basic(EthType.VALUE, false, ethType(0x0806));
            case Match.Ip i -> basic(EthType.VALUE, false, ethType(0x0800));
            case Match.ArpOp op -> basic(ArpOp.VALUE, false, new ArpOpCaseBuilder()
                    .setArpOp(new ArpOpBuilder().setOpCode(Uint16.valueOf(op.op())).build()).build());
            case Match.ArpTpa t -> arpTpa(t.prefix());
            case Match.IpDst d -> ipv4Dst(d.prefix());
            case Match.IpSrc s -> ipv4Src(s.prefix());
            case Match.EthDst d -> basic(EthDst.VALUE, false, new EthDstCaseBuilder()
                    .setEthDst(new EthDstBuilder().setMacAddress(mac(d.mac())).build()).build());
            case Match.TunId t -> basic(TunnelId.VALUE, false, new TunnelIdCaseBuilder().setTunnelId(
                    new TunnelIdBuilder().setTunnelId(ByteBuffer.allocate(8).putLong(t.id()).array()).build()).build());
            case Match.Reg r -> NiciraMatches.reg(r);
        };
    }

    private static MatchEntryValue inPort(long port) {
        return new InPortCaseBuilder().setInPort(new InPortBuilder()
                .setPortNumber(new PortNumber(Uint32.valueOf(port))).build()).build();
    }

    private static MatchEntryValue ethType(int type) {
        return new EthTypeCaseBuilder().setEthType(new EthTypeBuilder()
                .setEthType(new EtherType(Uint16.valueOf(type))).build()).build();
    }

    private static MatchEntry arpTpa(Ipv4Prefix p) {
        return basic(ArpTpa.VALUE, p.length() < 32, new ArpTpaCaseBuilder().setArpTpa(new ArpTpaBuilder()
                .setIpv4Address(new Ipv4Address(p.addressText())).setMask(mask(p)).build()).build());
    }

    private static MatchEntry ipv4Dst(Ipv4Prefix p) {
        return basic(Ipv4Dst.VALUE, p.length() < 32, new Ipv4DstCaseBuilder().setIpv4Dst(new Ipv4DstBuilder()
                .setIpv4Address(new Ipv4Address(p.addressText())).setMask(mask(p)).build()).build());
    }

    private static MatchEntry ipv4Src(Ipv4Prefix p) {
        return basic(Ipv4Src.VALUE, p.length() < 32, new Ipv4SrcCaseBuilder().setIpv4Src(new Ipv4SrcBuilder()
                .setIpv4Address(new Ipv4Address(p.addressText())).setMask(mask(p)).build()).build());
    }

    /** The prefix's netmask, or null (no mask on the wire) for a host address. */
    static byte[] mask(Ipv4Prefix p) {
        if (p.length() == 32) {
            return null;
        }
        int m = p.length() == 0 ? 0 : -1 << (32 - p.length());
        return ByteBuffer.allocate(4).putInt(m).array();
    }

    static org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.yang.types.rev130715.MacAddress mac(
            MacAddress mac) {
        return new org.opendaylight.yang.gen.v1.urn.ietf.params.xml.ns.yang.ietf.yang.types.rev130715.MacAddress(
                mac.toString());
    }

    static MatchEntry basic(MatchField field, boolean hasMask, MatchEntryValue value) {
        return new MatchEntryBuilder().setOxmClass(OpenflowBasicClass.VALUE).setOxmMatchField(field)
                .setHasMask(hasMask).setMatchEntryValue(value).build();
    }
}
