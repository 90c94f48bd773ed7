package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.flow.Flow;
import java.util.List;
import java.util.Optional;

/**
 * One thing the flow-mode pipeline does (classify, answer ARP, forward, deliver), declared in one
 * place: the tables it owns and the flows it puts in them. Its flows carry its cookie category and
 * may only go into its own tables; it names other features' tables (a goto) by name. Implementations
 * are stateless values, safe to share between threads.
 */
public interface Feature {
    /** Unique in the pipeline, lower case and dashes; names the flows' owner in linenctl. */
    String name();

    /** The tables this feature owns (may be none). */
    List<Table> tables();

    /** Flows that do not depend on any peer (without table-miss flows: those follow from the tables). */
    default List<Flow> baseFlows(FlowScope scope, Optional<PipelineInput.Local> local) {
        return List.of();
    }

    /** One peer's flows; a change of that peer sends only these. */
    default List<Flow> peerFlows(FlowScope scope, Peer peer) {
        return List.of();
    }
}
