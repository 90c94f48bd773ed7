package dev.linen.flaxd.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** examples/grafana/flaxd-dashboard.json asks only for metrics flaxd exports. */
class DashboardTest {
    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Path.of("..", "examples", "grafana", "flaxd-dashboard.json").toFile());
        Metrics m = new Metrics();
        m.flowsByTable(() -> java.util.Map.of("classifier", 3L));
        Set<String> exported = new TreeSet<>();
        m.render().lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> {
            String[] p = l.split(" ");
            exported.add(p[2]);
            if (p[3].equals("histogram")) {
                exported.add(p[2] + "_bucket");
            }
        });
        Set<String> asked = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b(flaxd_[a-z_]+)\\b");
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> {
            Matcher x = metric.matcher(t.path("expr").asText());
            while (x.find()) {
                asked.add(x.group(1));
            }
        }));
        assertTrue(asked.containsAll(Set.of("flaxd_table_flows", "flaxd_flow_mod_seconds_bucket", "flaxd_informer_watching")),
                asked.toString());
        asked.removeAll(exported);
        assertEquals(Set.of(), asked, "queried but not exported");
    }
}
