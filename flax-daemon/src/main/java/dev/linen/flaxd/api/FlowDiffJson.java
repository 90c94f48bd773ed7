package dev.linen.flaxd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linen.flaxd.pipeline.FlowDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The JSON of a {@link FlowDiff}, both ways: flaxd writes it as its {@code /v1/flows} document and
 * linenctl reads it back (and writes it again for {@code flows -o json}). One shape:
 * {@code round}, {@code tables}, {@code flows} and {@code extra} (rows with their {@code state}),
 * and a {@code summary} of the counts. Stateless, thread-safe.
 */
public final class FlowDiffJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowDiffJson() {
    }

    public static ObjectNode write(FlowDiff d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("round", d.round());
        o.set("tables", tables(d.tables()));
        ArrayNode rows = o.putArray("flows");
        d.rows().forEach(r -> row(rows.addObject(), r));
        ArrayNode extra = o.putArray("extra");
        d.extra().forEach(r -> row(extra.addObject(), r));
        ObjectNode sum = o.putObject("summary");
        sum.put("desired", d.rows().size());
        sum.put("installed", d.count(FlowDiff.State.INSTALLED));
        sum.put("missing", d.count(FlowDiff.State.MISSING));
        sum.put("extra", d.count(FlowDiff.State.EXTRA));
        return o;
    }

    /** The tables, each with its number, name, stage, feature and miss action. */
    public static ArrayNode tables(List<FlowDiff.TableInfo> tables) {
        ArrayNode a = JSON.createArrayNode();
        for (FlowDiff.TableInfo t : tables) {
            a.addObject().put("number", t.number()).put("name", t.name()).put("stage", t.stage())
                    .put("feature", t.feature()).put("miss", t.miss());
        }
        return a;
    }

    private static void row(ObjectNode o, FlowDiff.Row r) {
        o.put("state", r.state().name().toLowerCase(Locale.ROOT));
        o.put("table", r.table());
        o.put("tableName", r.tableName().orElse(null));
        o.put("feature", r.feature().orElse(null));
        o.put("peer", r.peer().orElse(null));
        o.put("flow", r.flow());
    }

    /**
     * The diff {@link #write} wrote.
     *
     * @throws IllegalArgumentException when {@code doc} is not in that shape (names what is wrong)
     */
    public static FlowDiff read(JsonNode doc) {
        List<FlowDiff.TableInfo> tables = new ArrayList<>();
        for (JsonNode t : array(doc, "tables")) {
            tables.add(new FlowDiff.TableInfo(integer(t, "number"), text(t, "name"), text(t, "stage"),
                    text(t, "feature"), text(t, "miss")));
        }
        return new FlowDiff(integer(doc, "round"), tables, rows(doc, "flows"), rows(doc, "extra"));
    }

    private static List<FlowDiff.Row> rows(JsonNode doc, String field) {
        List<FlowDiff.Row> rows = new ArrayList<>();
        for (JsonNode r : array(doc, field)) {
            FlowDiff.State state;
            try {
                state = FlowDiff.State.valueOf(text(r, "state").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown flow state " + r.path("state"));
            }
            rows.add(new FlowDiff.Row(integer(r, "table"), optional(r, "tableName"), optional(r, "feature"),
                    optional(r, "peer"), text(r, "flow"), state));
        }
        return rows;
    }

    private static JsonNode array(JsonNode doc, String field) {
        JsonNode a = doc.path(field);
        if (!a.isArray()) {
            throw new IllegalArgumentException("no " + field + " array in the flows document");
        }
        return a;
    }

    private static String text(JsonNode o, String field) {
        if (!o.path(field).isTextual()) {
            throw new IllegalArgumentException("no " + field + " in " + o);
        }
        return o.path(field).asText();
    }

    private static int integer(JsonNode o, String field) {
        if (!o.path(field).isInt()) {
            throw new IllegalArgumentException("no whole number " + field + " in " + o);
        }
        return o.path(field).asInt();
    }

    private static Optional<String> optional(JsonNode o, String field) {
        return o.path(field).isTextual() ? Optional.of(o.path(field).asText()) : Optional.empty();
    }
}
