package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.pipeline.Table.Miss;
import dev.linen.flaxd.pipeline.Table.Stage;
import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Action.Field;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The features of flaxd's flow-mode pipeline, each with the tables and flows it owns; {@link #STANDARD}
 * is the pipeline flaxd programs. Remote pod ranges are reached through one {@code remote_ip=flow}
 * port: the node's kernel routes the cluster range to its Linux bridge; OVS answers the ARP for a
 * remote pod with {@link #VIRTUAL_MAC} and tunnels the IP packet to the peer that owns the range.
 * Nothing else enters the tunnel, so no broadcast ever leaves the node. A new feature is a record
 * here and an entry in {@link #STANDARD}.
 */
public final class Features {
    /** The MAC every remote pod is answered with (locally administered, never a real NIC's). */
    public static final MacAddress VIRTUAL_MAC = MacAddress.parse("0e:4c:4e:00:00:01");
    static final int PRIORITY_HIGH = 200;
    static final int ARP_REQUEST = 1;
    static final int ARP_REPLY = 2;

    public static final String CLASSIFIER_TABLE = "classifier";
    public static final String ARP_TABLE = "arp-responder";
    public static final String L3_TABLE = "l3-forwarding";
    public static final String INGRESS_TABLE = "tunnel-ingress";

    /** flaxd's pipeline, in this order (it numbers the cookie categories 1, 2, ...). */
    public static final List<Feature> STANDARD =
            List.of(new Classifier(), new ArpResponder(), new L3Forwarding(), new TunnelIngress());

    private Features() {
    }

    /** Where a packet came from: the tunnel, or the node's Linux bridge (the bridge's LOCAL port); else drop. */
    public record Classifier() implements Feature {
        @Override
        public String name() {
            return "classifier";
        }

        @Override
        public List<Table> tables() {
            return List.of(new Table(CLASSIFIER_TABLE, Stage.CLASSIFY, new Miss.Drop()));
        }

        @Override
        public List<Flow> baseFlows(FlowScope s, Optional<PipelineInput.Local> local) {
            return List.of(
                    s.flow(CLASSIFIER_TABLE, PRIORITY_HIGH, List.of(new Match.InPort(s.tunnelPort())),
                            List.of(s.gotoTable(INGRESS_TABLE))),
                    s.flow(CLASSIFIER_TABLE, PRIORITY_HIGH, List.of(new Match.InPortLocal()),
                            List.of(s.gotoTable(ARP_TABLE))));
        }
    }

    /** ARP requests for a peer's pod range are answered here, inside OVS; others go on to L3 forwarding. */
    public record ArpResponder() implements Feature {
        @Override
        public String name() {
            return "arp-responder";
        }

        @Override
        public List<Table> tables() {
            return List.of(new Table(ARP_TABLE, Stage.RESPOND, new Miss.Continue(L3_TABLE)));
        }

        /** Turns the request into a reply from {@link #VIRTUAL_MAC} for the asked address, sent back out. */
        @Override
        public List<Flow> peerFlows(FlowScope s, Peer p) {
            List<Flow> out = new ArrayList<>();
            for (Ipv4Prefix cidr : p.ipv4PodCidrs()) {
                out.add(s.flow(ARP_TABLE, PRIORITY_HIGH,
                        List.of(new Match.Arp(), new Match.ArpOp(ARP_REQUEST), new Match.ArpTpa(cidr)),
                        List.of(new Action.Move(Field.ETH_SRC, Field.ETH_DST),
                                new Action.SetEth(Action.EthField.SRC, VIRTUAL_MAC),
                                new Action.SetArpOp(ARP_REPLY),
                                new Action.Move(Field.ARP_SHA, Field.ARP_THA),
                                new Action.SetArpSha(VIRTUAL_MAC),
                                new Action.Move(Field.ARP_TPA, Field.REG0),
                                new Action.Move(Field.ARP_SPA, Field.ARP_TPA),
                                new Action.Move(Field.REG0, Field.ARP_SPA),
                                new Action.OutputInPort())));
            }
            return out;
        }
    }

    /** IP to a peer's pod range leaves through the tunnel with that peer as destination; else drop. */
    public record L3Forwarding() implements Feature {
        @Override
        public String name() {
            return "l3-forwarding";
        }

        @Override
        public List<Table> tables() {
            return List.of(new Table(L3_TABLE, Stage.FORWARD, new Miss.Drop()));
        }

        @Override
        public List<Flow> peerFlows(FlowScope s, Peer p) {
            List<Flow> out = new ArrayList<>();
            for (Ipv4Prefix cidr : p.ipv4PodCidrs()) {
                out.add(s.flow(L3_TABLE, PRIORITY_HIGH, List.of(new Match.Ip(), new Match.IpDst(cidr)),
                        List.of(new Action.SetEth(Action.EthField.SRC, VIRTUAL_MAC), new Action.SetTunDst(p.tunnelIp()),
                                new Action.Output(s.tunnelPort()))));
            }
            return out;
        }
    }

    /** IP from the tunnel to this node's pod range goes to the node's gateway; else drop. */
    public record TunnelIngress() implements Feature {
        @Override
        public String name() {
            return "tunnel-ingress";
        }

        @Override
        public List<Table> tables() {
            return List.of(new Table(INGRESS_TABLE, Stage.DELIVER, new Miss.Drop()));
        }

        @Override
        public List<Flow> baseFlows(FlowScope s, Optional<PipelineInput.Local> local) {
            return local.map(l -> List.of(s.flow(INGRESS_TABLE, PRIORITY_HIGH,
                    List.of(new Match.Ip(), new Match.IpDst(l.podCidr())),
                    List.of(new Action.SetEth(Action.EthField.DST, l.gatewayMac()), new Action.OutputLocal()))))
                    .orElse(List.of());
        }
    }
}
