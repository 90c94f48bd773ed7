package dev.linen.flaxd.pipeline;

import dev.linen.ovs.flow.Action;
import java.util.List;
import java.util.Optional;

/**
 * The flow-mode pipeline's tables, declared once: number, purpose and what a packet that matches
 * no flow of the table gets (the table-miss flow at priority 0).
 */
public enum Table {
    /** Where a packet came from: the tunnel, or the node's Linux bridge (the OVS bridge's LOCAL port). */
    CLASSIFIER(0, Optional.empty()),
    /** ARP requests for a peer's pod range are answered here, inside OVS; others go on. */
    ARP_RESPONDER(10, Optional.of(20)),
    /** IP to a peer's pod range leaves through the tunnel with that peer as destination. */
    L3_FORWARDING(20, Optional.empty()),
    /** IP from the tunnel to this node's pod range goes to the node's gateway. */
    TUNNEL_INGRESS(30, Optional.empty());

    private final int id;
    private final Optional<Integer> missGoto;

    Table(int id, Optional<Integer> missGoto) {
        this.id = id;
        this.missGoto = missGoto;
    }

    public int id() {
        return id;
    }

    /** The table-miss actions: continue in the next table, or drop. */
    List<Action> missActions() {
        return missGoto.<List<Action>>map(t -> List.of(new Action.GotoTable(t))).orElse(List.of(new Action.Drop()));
    }
}
