package dev.linen.flaxd.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * flaxd's desired flows (its {@code /v1/pipeline}) against the flows the bridge holds: each desired
 * flow installed or missing, and the bridge's extra flows (not in flaxd's current round). Flows are
 * compared as {@code ovs-ofctl --no-stats dump-flows} prints them, cookie included. Immutable.
 *
 * @param tables the pipeline's tables, in number order
 * @param rows  every desired flow, with its state, in table then priority order
 * @param extra the bridge's flows flaxd does not want, with the table name and feature when known
 */
record FlowDiff(int round, List<TableInfo> tables, List<Row> rows, List<Row> extra) {
    /** A table as flaxd's pipeline declares it. */
    record TableInfo(int number, String name, String stage, String feature, String miss) {
    }

    /** One flow: where it is, whose it is and whether the bridge has it. */
    record Row(int table, Optional<String> tableName, Optional<String> feature, Optional<String> peer,
               String flow, State state) {
    }

    enum State { INSTALLED, MISSING, EXTRA }

    FlowDiff {
        tables = List.copyOf(tables);
        rows = List.copyOf(rows);
        extra = List.copyOf(extra);
    }

    /** Compares; {@code table} and {@code peer}, when given, keep only the rows of that table name or peer. */
    static FlowDiff of(JsonNode pipeline, List<String> installed, Optional<String> table, Optional<String> peer) {
        Map<Integer, String> names = new TreeMap<>();
        List<TableInfo> tables = new ArrayList<>();
        pipeline.path("tables").forEach(t -> {
            names.put(t.path("number").asInt(), t.path("name").asText());
            tables.add(new TableInfo(t.path("number").asInt(), t.path("name").asText(), t.path("stage").asText(),
                    t.path("feature").asText(), t.path("miss").asText()));
        });
        Map<String, String> featureByCookie = new TreeMap<>();
        Set<String> left = new LinkedHashSet<>(installed);
        List<Row> rows = new ArrayList<>();
        for (JsonNode f : pipeline.path("flows")) {
            String text = f.path("flow").asText();
            featureByCookie.put(f.path("cookie").asText(), f.path("feature").asText());
            boolean there = left.remove(text);
            rows.add(new Row(f.path("table").asInt(), text(f, "tableName"), text(f, "feature"), text(f, "peer"),
                    text, there ? State.INSTALLED : State.MISSING));
        }
        List<Row> extra = new ArrayList<>();
        for (String line : left) {
            int t = tableOf(line);
            extra.add(new Row(t, Optional.ofNullable(names.get(t)), Optional.ofNullable(featureByCookie.get(cookieOf(line))),
                    Optional.empty(), line, State.EXTRA));
        }
        return new FlowDiff(pipeline.path("round").asInt(), table.map(n -> tables.stream()
                .filter(t -> t.name().equals(n)).toList()).orElse(tables), keep(rows, table, peer), keep(extra, table, peer));
    }

    private static List<Row> keep(List<Row> rows, Optional<String> table, Optional<String> peer) {
        return rows.stream().filter(r -> table.isEmpty() || r.tableName().equals(table))
                .filter(r -> peer.isEmpty() || r.peer().equals(peer)).toList();
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode v = o.path(field);
        return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** ovs-ofctl omits {@code table=} for table 0. */
    static int tableOf(String line) {
        int i = line.indexOf("table=");
        if (i < 0) {
            return 0;
        }
        int end = i + 6;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return end > i + 6 ? Integer.parseInt(line.substring(i + 6, end)) : 0;
    }

    private static String cookieOf(String line) {
        if (!line.startsWith("cookie=")) {
            return "0x0";
        }
        int comma = line.indexOf(',');
        return line.substring(7, comma < 0 ? line.length() : comma);
    }

    long count(State s) {
        return s == State.EXTRA ? extra.size() : rows.stream().filter(r -> r.state() == s).count();
    }

    /** True when the bridge holds exactly what flaxd wants (within the filter). */
    boolean clean() {
        return count(State.MISSING) == 0 && extra.isEmpty();
    }
}
