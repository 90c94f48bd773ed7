package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entries.grouping.MatchEntry;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpOpCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.ArpTpaCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthDstCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.EthTypeCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.InPortCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.Ipv4DstCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.Ipv4SrcCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.entry.value.grouping.match.entry.value.TunnelIdCase;

/**
 * OXM match entries of a flow read back from the switch as our {@link Match} values: the inverse
 * of {@link OxmMatches} (and of {@link NiciraMatches} for registers). OVS reports what it was
 * sent, prerequisites included (eth_type 0x0800 is {@code ip}, 0x0806 {@code arp}). Anything else
 * is {@link Decoded.Unknown}; nothing here throws.
 */
final class MatchDecoder {
    private static final int ETH_IP = 0x0800;
    private static final int ETH_ARP = 0x0806;
    private static final int MAX_PORT = 0xfeff;

    private MatchDecoder() {
    }

    static List<Decoded<Match>> decode(
            org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.oxm.rev150225.match.grouping.Match match) {
        List<Decoded<Match>> out = new ArrayList<>();
        if (match == null || match.getMatchEntry() == null) {
            return out;
        }
        for (MatchEntry e : match.getMatchEntry()) {
            Optional<Match> m;
            try {
                m = entry(e);
            } catch (RuntimeException ex) {
                m = Optional.empty();
            }
            out.add(m.<Decoded<Match>>map(Decoded.Known::new).orElseGet(() -> new Decoded.Unknown<>(
                    "<unknown match: " + e.getMatchEntryValue() + ">")));
        }
        return out;
    }

    private static Optional<Match> entry(MatchEntry e) {
        return switch (e.getMatchEntryValue()) {
            case InPortCase p -> inPort(p.getInPort().getPortNumber().getValue().toJava());
            case EthTypeCase t -> ethType(t.getEthType().getEthType().getValue().toJava());
            case ArpOpCase op -> Optional.of(new Match.ArpOp(op.getArpOp().getOpCode().toJava()));
            case ArpTpaCase t -> prefix(t.getArpTpa().getIpv4Address().getValue(), t.getArpTpa().getMask())
                    .map(Match.ArpTpa::new);
            case Ipv4DstCase d -> prefix(d.getIpv4Dst().getIpv4Address().getValue(), d.getIpv4Dst().getMask())
                    .map(Match.IpDst::new);
            case Ipv4SrcCase s -> prefix(s.getIpv4Src().getIpv4Address().getValue(), s.getIpv4Src().getMask())
                    .map(Match.IpSrc::new);
            case EthDstCase d -> d.getEthDst().getMask() != null ? Optional.empty()
                    : Optional.of(new Match.EthDst(MacAddress.parse(d.getEthDst().getMacAddress().getValue())));
            case TunnelIdCase t -> t.getTunnelId().getMask() != null || t.getTunnelId().getTunnelId().length != 8
                    ? Optional.empty()
                    : Optional.of(new Match.TunId(ByteBuffer.wrap(t.getTunnelId().getTunnelId()).getLong()));
            case NiciraMatches.RawValue raw -> register(raw);
            case null, default -> Optional.empty();
        };
    }

    private static Optional<Match> inPort(long port) {
        if (port == OxmMatches.OFPP_LOCAL) {
            return Optional.of(new Match.InPortLocal());
        }
        return port >= 1 && port <= MAX_PORT ? Optional.of(new Match.InPort((int) port)) : Optional.empty();
    }

    private static Optional<Match> ethType(int type) {
        return switch (type) {
            case ETH_IP -> Optional.of(new Match.Ip());
            case ETH_ARP -> Optional.of(new Match.Arp());
            default -> Optional.empty();
        };
    }

    /** An address under a contiguous netmask (none: a host), as a prefix with no host bits. */
    static Optional<Ipv4Prefix> prefix(String address, byte[] mask) {
        Ipv4Prefix host = Ipv4Prefix.host(address);
        if (mask == null) {
            return Optional.of(host);
        }
        if (mask.length != 4) {
            return Optional.empty();
        }
        int m = ByteBuffer.wrap(mask).getInt();
        int length = Integer.bitCount(m);
        if (m != (length == 0 ? 0 : -1 << (32 - length)) || (host.address() & ~m) != 0) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Prefix(host.address(), length));
    }

    /** NXM_NX_REG0..15: four bytes of value, four of mask when masked. */
    private static Optional<Match> register(NiciraMatches.RawValue raw) {
        if (raw.oxmClass() != NiciraMatches.NXM1 || raw.field() > 15 || raw.body().length != (raw.hasMask() ? 8 : 4)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(raw.body());
        long value = b.getInt() & 0xffffffffL;
        long mask = raw.hasMask() ? b.getInt() & 0xffffffffL : 0xffffffffL;
        return Optional.of(new Match.Reg(raw.field(), value, mask));
    }
}
