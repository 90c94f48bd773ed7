package dev.linen.flaxd.pipeline;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Match;
import java.util.List;

/**
 * What a {@link Feature} writes its flows with: the built pipeline (table numbers by name), the
 * round, the tunnel port and the feature itself (its cookie category). Immutable.
 */
public record FlowScope(Pipeline pipeline, Feature feature, int round, int tunnelPort) {
    /** The number of a table of the pipeline, by name. */
    public int table(String name) {
        return pipeline.tableNumber(name);
    }

    /** This feature's cookie in this round. */
    public Cookie cookie() {
        return Cookies.of(round, pipeline.category(feature.name()));
    }

    /** A goto to the named table. */
    public Action gotoTable(String name) {
        return new Action.GotoTable(table(name));
    }

    /**
     * A flow of this feature in one of its own tables.
     *
     * @throws IllegalArgumentException if {@code table} is not one of this feature's
     */
    public Flow flow(String table, int priority, List<Match> matches, List<Action> actions) {
        if (feature.tables().stream().noneMatch(t -> t.name().equals(table))) {
            throw new IllegalArgumentException("feature " + feature.name() + " does not own table " + table);
        }
        return new Flow(table(table), priority, cookie(), matches, actions);
    }
}
