package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flow-mode pipeline, built once from its {@link Feature}s: tables numbered in stage order, ten
 * apart (0, 10, 20, ...), cookie categories numbered in feature order (1, 2, ...); then a pure
 * function from {@link PipelineInput} to flows. Every table gets its table-miss flow (priority 0,
 * the owning feature's cookie). Immutable and thread-safe.
 */
public final class Pipeline {
    /** Table numbers are this far apart, leaving room for tables added between two. */
    static final int TABLE_STRIDE = 10;
    private static final Pipeline STANDARD = build(Features.STANDARD);

    /** A table with the number the build gave it and the feature that owns it. */
    public record NumberedTable(int number, Table table, String feature) {
    }

    /** A desired flow and the peer it is for (empty: a flow that does not depend on any peer). */
    public record OwnedFlow(Flow flow, Optional<String> peer) {
    }

    private final List<Feature> features;
    private final List<NumberedTable> tables;
    private final Map<String, NumberedTable> byName = new HashMap<>();
    private final Map<Integer, NumberedTable> byNumber = new HashMap<>();
    private final Map<String, Integer> categories = new LinkedHashMap<>();

    private Pipeline(List<Feature> features, List<NumberedTable> tables) {
        this.features = List.copyOf(features);
        this.tables = List.copyOf(tables);
        for (NumberedTable t : tables) {
            byName.put(t.table().name(), t);
            byNumber.put(t.number(), t);
        }
        for (Feature f : features) {
            categories.put(f.name(), categories.size() + 1);
        }
    }

    /** flaxd's pipeline ({@link Features#STANDARD}). */
    public static Pipeline standard() {
        return STANDARD;
    }

    /**
     * Numbers the features' tables and checks the declaration: unique feature and table names, at
     * most 255 features and 25 tables, every miss that continues naming a later table.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Pipeline build(List<Feature> features) {
        if (features.isEmpty() || features.size() > Cookies.MAX_CATEGORY) {
            throw new IllegalArgumentException("a pipeline has 1.." + Cookies.MAX_CATEGORY + " features: " + features.size());
        }
        record Owned(Table table, String feature) {
        }
        List<Owned> owned = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Feature f : features) {
            if (!names.add("feature " + f.name())) {
                throw new IllegalArgumentException("two features named " + f.name());
            }
            for (Table t : f.tables()) {
                if (!names.add("table " + t.name())) {
                    throw new IllegalArgumentException("two tables named " + t.name());
                }
                owned.add(new Owned(t, f.name()));
            }
        }
        owned.sort(Comparator.comparing(o -> o.table().stage()));
        if ((owned.size() - 1) * TABLE_STRIDE > 254) {
            throw new IllegalArgumentException("too many tables: " + owned.size());
        }
        List<NumberedTable> numbered = new ArrayList<>();
        for (int i = 0; i < owned.size(); i++) {
            numbered.add(new NumberedTable(i * TABLE_STRIDE, owned.get(i).table(), owned.get(i).feature()));
        }
        Pipeline p = new Pipeline(features, numbered);
        for (NumberedTable t : numbered) {
            if (t.table().miss() instanceof Table.Miss.Continue c
                    && (!p.byName.containsKey(c.table()) || p.byName.get(c.table()).number() <= t.number())) {
                throw new IllegalArgumentException("table " + t.table().name() + " continues to " + c.table()
                        + ", which is not a later table");
            }
        }
        return p;
    }

    /** The tables in number order. */
    public List<NumberedTable> tables() {
        return tables;
    }

    public List<Feature> features() {
        return features;
    }

    /** @throws IllegalArgumentException for a name the pipeline has no table for */
    public int tableNumber(String name) {
        NumberedTable t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no table named " + name);
        }
        return t.number();
    }

    public Optional<NumberedTable> table(int number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** @throws IllegalArgumentException for a name the pipeline has no feature for */
    public int category(String feature) {
        Integer c = categories.get(feature);
        if (c == null) {
            throw new IllegalArgumentException("no feature named " + feature);
        }
        return c;
    }

    /** The feature a flaxd cookie names (empty for a cookie flaxd did not write). */
    public Optional<String> featureOf(Cookie cookie) {
        int c = Cookies.categoryOf(cookie);
        return Cookies.roundOf(cookie) == 0 || c < 1 || c > features.size()
                ? Optional.empty() : Optional.of(features.get(c - 1).name());
    }

    /** Every flow the bridge should have in this round; a flow's identity is {@link Flow#key()}. */
    public List<Flow> flows(PipelineInput in, int round) {
        return owned(in, round).stream().map(OwnedFlow::flow).toList();
    }

    /** {@link #flows}, each with the peer it is for. */
    public List<OwnedFlow> owned(PipelineInput in, int round) {
        List<OwnedFlow> out = new ArrayList<>();
        baseFlows(in, round).forEach(f -> out.add(new OwnedFlow(f, Optional.empty())));
        for (Peer p : in.peers()) {
            out.addAll(peerFlows(p, in.tunnelPort(), round));
        }
        return out;
    }

    /** The flows that do not depend on any peer: every table's miss, then each feature's base flows. */
    public List<Flow> baseFlows(PipelineInput in, int round) {
        List<Flow> out = new ArrayList<>();
        for (NumberedTable t : tables) {
            out.add(new Flow(t.number(), 0, Cookies.of(round, category(t.feature())), List.of(), missActions(t.table())));
        }
        for (Feature f : features) {
            out.addAll(f.baseFlows(new FlowScope(this, f, round, in.tunnelPort()), in.local()));
        }
        return out;
    }

    /** One peer's flows, feature by feature. */
    public List<OwnedFlow> peerFlows(Peer p, int tunnelPort, int round) {
        List<OwnedFlow> out = new ArrayList<>();
        Optional<String> peer = Optional.of(p.name());
        for (Feature f : features) {
            f.peerFlows(new FlowScope(this, f, round, tunnelPort), p).forEach(fl -> out.add(new OwnedFlow(fl, peer)));
        }
        return out;
    }

    private List<Action> missActions(Table t) {
        return switch (t.miss()) {
            case Table.Miss.Drop d -> List.of(new Action.Drop());
            case Table.Miss.Continue c -> List.of(new Action.GotoTable(tableNumber(c.table())));
        };
    }
}
