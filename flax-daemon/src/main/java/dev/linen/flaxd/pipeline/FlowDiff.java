package dev.linen.flaxd.pipeline;

import dev.linen.ovs.openflow.InstalledFlow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * flaxd's desired flows (its current round) against the flows the bridge holds: each desired flow
 * installed or missing, and the bridge's extra flows (not in flaxd's current round: an old round,
 * or someone else's). Flows are compared as text in the {@code ovs-ofctl --no-stats dump-flows}
 * shape, cookie included, so a flow with the right match but other actions or an old round's
 * cookie is one missing and one extra. Immutable.
 *
 * @param tables the pipeline's tables, in number order
 * @param rows   every desired flow, with its state, in table, then priority (highest first) order
 * @param extra  the bridge's flows flaxd does not want, with the table name and feature when known
 */
public record FlowDiff(int round, List<TableInfo> tables, List<Row> rows, List<Row> extra) {
    /** A table as flaxd's pipeline declares it. */
    public record TableInfo(int number, String name, String stage, String feature, String miss) {
        public TableInfo {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(stage, "stage");
            java.util.Objects.requireNonNull(feature, "feature");
            java.util.Objects.requireNonNull(miss, "miss");
        }

        static TableInfo of(Pipeline.NumberedTable t) {
            return new TableInfo(t.number(), t.table().name(), t.table().stage().name().toLowerCase(Locale.ROOT),
                    t.feature(), switch (t.table().miss()) {
                        case Table.Miss.Drop d -> "drop";
                        case Table.Miss.Continue c -> "goto " + c.table();
                    });
        }
    }

    /** One flow: where it is, whose it is and whether the bridge has it. */
    public record Row(int table, Optional<String> tableName, Optional<String> feature, Optional<String> peer,
                      String flow, State state) {
        public Row {
            java.util.Objects.requireNonNull(tableName, "tableName");
            java.util.Objects.requireNonNull(feature, "feature");
            java.util.Objects.requireNonNull(peer, "peer");
            java.util.Objects.requireNonNull(flow, "flow");
            java.util.Objects.requireNonNull(state, "state");
        }
    }

    public enum State { INSTALLED, MISSING, EXTRA }

    /** The order flows are shown in: by table, then highest priority first, then by text. */
    public static final Comparator<Pipeline.OwnedFlow> ORDER = Comparator
            .comparingInt((Pipeline.OwnedFlow f) -> f.flow().table())
            .thenComparing(f -> -f.flow().priority()).thenComparing(f -> f.flow().toString());

    public FlowDiff {
        tables = List.copyOf(tables);
        rows = List.copyOf(rows);
        extra = List.copyOf(extra);
    }

    /** The pipeline's tables as the API shows them, in number order. */
    public static List<TableInfo> tables(Pipeline pipeline) {
        return pipeline.tables().stream().map(TableInfo::of).toList();
    }

    /** Compares what flaxd programmed in {@code desired}'s round with what the bridge holds. Pure. */
    public static FlowDiff of(Pipeline pipeline, FlowProgrammer.Programmed desired, List<InstalledFlow> installed) {
        Map<String, InstalledFlow> left = new LinkedHashMap<>();
        installed.forEach(f -> left.put(f.text(), f));
        List<Row> rows = new ArrayList<>();
        desired.flows().stream().sorted(ORDER)
                .forEach(f -> {
                    String text = f.flow().toString();
                    rows.add(new Row(f.flow().table(), tableName(pipeline, f.flow().table()),
                            pipeline.featureOf(f.flow().cookie()), f.peer(), text,
                            left.remove(text) != null ? State.INSTALLED : State.MISSING));
                });
        List<Row> extra = left.values().stream().map(f -> new Row(f.table(), tableName(pipeline, f.table()),
                pipeline.featureOf(f.cookie()), Optional.empty(), f.text(), State.EXTRA)).toList();
        return new FlowDiff(desired.round(), tables(pipeline), rows, extra);
    }

    /** The name of table {@code table} in the pipeline, if it is one of its tables. */
    public static Optional<String> tableName(Pipeline pipeline, int table) {
        return pipeline.table(table).map(t -> t.table().name());
    }

    /** Only the tables and rows of table {@code table} (by name) and of peer {@code peer}, when given. */
    public FlowDiff filter(Optional<String> table, Optional<String> peer) {
        return new FlowDiff(round, table.map(n -> tables.stream().filter(t -> t.name().equals(n)).toList()).orElse(tables),
                keep(rows, table, peer), keep(extra, table, peer));
    }

    private static List<Row> keep(List<Row> rows, Optional<String> table, Optional<String> peer) {
        return rows.stream().filter(r -> table.isEmpty() || r.tableName().equals(table))
                .filter(r -> peer.isEmpty() || r.peer().equals(peer)).toList();
    }

    public long count(State s) {
        return s == State.EXTRA ? extra.size() : rows.stream().filter(r -> r.state() == s).count();
    }

    /** True when the bridge holds exactly what flaxd wants (within the filter). */
    public boolean clean() {
        return count(State.MISSING) == 0 && extra.isEmpty();
    }
}
