package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.pipeline.Cookies.Category;
import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Action.Field;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import java.util.ArrayList;
import java.util.List;

/**
 * The flow-mode pipeline as a pure function from {@link PipelineInput} to flows (see {@link Table}).
 * Remote pod ranges are reached through one {@code remote_ip=flow} port: the node's kernel routes
 * the cluster range to its Linux bridge; OVS answers the ARP for a remote pod with {@link #VIRTUAL_MAC}
 * and tunnels the IP packet to the peer that owns the range. Nothing else enters the tunnel, so no
 * broadcast ever leaves the node.
 */
public final class Pipeline {
    /** The MAC every remote pod is answered with (locally administered, never a real NIC's). */
    public static final MacAddress VIRTUAL_MAC = MacAddress.parse("0e:4c:4e:00:00:01");
    static final int PRIORITY_HIGH = 200;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;

    private Pipeline() {
    }

    /** Every flow the bridge should have in this round; a flow's identity is {@link Flow#key()}. */
    public static List<Flow> flows(PipelineInput in, int round) {
        List<Flow> out = baseFlows(in, round);
        for (Peer p : in.peers()) {
            out.addAll(peerFlows(p, in.tunnelPort(), round));
        }
        return out;
    }

    /** The flows that do not depend on any peer: table misses, classifier, tunnel ingress. */
    public static List<Flow> baseFlows(PipelineInput in, int round) {
        List<Flow> out = new ArrayList<>();
        for (Table t : Table.values()) {
            out.add(new Flow(t.id(), 0, Cookies.of(round, Category.TABLE_MISS), List.of(), t.missActions()));
        }
        out.add(new Flow(Table.CLASSIFIER.id(), PRIORITY_HIGH, Cookies.of(round, Category.CLASSIFIER),
                List.of(new Match.InPort(in.tunnelPort())), List.of(new Action.GotoTable(Table.TUNNEL_INGRESS.id()))));
        out.add(new Flow(Table.CLASSIFIER.id(), PRIORITY_HIGH, Cookies.of(round, Category.CLASSIFIER),
                List.of(new Match.InPortLocal()), List.of(new Action.GotoTable(Table.ARP_RESPONDER.id()))));
        in.local().ifPresent(l -> out.add(new Flow(Table.TUNNEL_INGRESS.id(), PRIORITY_HIGH,
                Cookies.of(round, Category.TUNNEL_INGRESS),
                List.of(new Match.Ip(), new Match.IpDst(l.podCidr())),
                List.of(new Action.SetEth(Action.EthField.DST, l.gatewayMac()), new Action.OutputLocal()))));
        return out;
    }

    /** One peer's flows: the ARP reply and the tunnel route for each of its IPv4 pod ranges. */
    public static List<Flow> peerFlows(Peer p, int tunnelPort, int round) {
        List<Flow> out = new ArrayList<>();
        Ipv4Prefix remote = p.tunnelIp();
        for (Ipv4Prefix cidr : p.ipv4PodCidrs()) {
            out.add(arpReply(cidr, round));
            out.add(toPeer(cidr, remote, tunnelPort, round));
        }
        return out;
    }

    /** Turns the request into a reply from {@link #VIRTUAL_MAC} for the asked address, sent back out. */
    private static Flow arpReply(Ipv4Prefix cidr, int round) {
        return new Flow(Table.ARP_RESPONDER.id(), PRIORITY_HIGH, Cookies.of(round, Category.ARP_RESPONDER),
                List.of(new Match.Arp(), new Match.ArpOp(ARP_REQUEST), new Match.ArpTpa(cidr)),
                List.of(new Action.Move(Field.ETH_SRC, Field.ETH_DST),
                        new Action.SetEth(Action.EthField.SRC, VIRTUAL_MAC),
                        new Action.SetArpOp(ARP_REPLY),
                        new Action.Move(Field.ARP_SHA, Field.ARP_THA),
                        new Action.SetArpSha(VIRTUAL_MAC),
                        new Action.Move(Field.ARP_TPA, Field.REG0),
                        new Action.Move(Field.ARP_SPA, Field.ARP_TPA),
                        new Action.Move(Field.REG0, Field.ARP_SPA),
                        new Action.OutputInPort()));
    }

    private static Flow toPeer(Ipv4Prefix cidr, Ipv4Prefix remote, int tunnelPort, int round) {
        return new Flow(Table.L3_FORWARDING.id(), PRIORITY_HIGH, Cookies.of(round, Category.L3_FORWARDING),
                List.of(new Match.Ip(), new Match.IpDst(cidr)),
                List.of(new Action.SetEth(Action.EthField.SRC, VIRTUAL_MAC), new Action.SetTunDst(remote),
                        new Action.Output(tunnelPort)));
    }
}
