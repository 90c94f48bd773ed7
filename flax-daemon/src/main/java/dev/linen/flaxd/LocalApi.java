package dev.linen.flaxd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linen.flaxd.api.FlowDiffJson;
import dev.linen.flaxd.bridge.BridgeReconciler;
import dev.linen.flaxd.cluster.NodeWatcher;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.http.LocalApiServer;
import dev.linen.flaxd.pipeline.FlowDiff;
import dev.linen.flaxd.pipeline.FlowPlane;
import dev.linen.flaxd.pipeline.FlowProgrammer;
import dev.linen.flaxd.pipeline.Pipeline;
import dev.linen.flaxd.reconcile.ReconcileLoop;
import dev.linen.flaxd.tunnel.TunnelMode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The documents of flaxd's local API (see {@link dev.linen.flaxd.http.LocalApiServer}), as JSON:
 * {@code /v1/status} (node, mode, API watch, OVSDB/OpenFlow connection, round, readiness and why,
 * peers, last errors) and {@code /v1/pipeline} (the tables with their numbers and features, and
 * every flow flaxd has programmed in the current round with its table, feature and peer) and
 * {@code /v1/flows} (those flows against the ones the bridge holds). Read-only;
 * every input is safe to read from any thread.
 */
record LocalApi(FlaxdConfig config, NodeWatcher watcher, NodeReconciler reconciler, BridgeReconciler bridge,
                Optional<FlowPlane> flows, Readiness readiness, Supplier<ReconcileLoop> loop) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STATUS = "/v1/status";
    static final String PIPELINE = "/v1/pipeline";
    static final String FLOWS = "/v1/flows";
    /**
     * How long {@code /v1/flows} may read the bridge, every try included: inside the server's 5 s
     * per connection (10000 flows come in well under a second).
     */
    private static final java.time.Duration DUMP_BUDGET = java.time.Duration.ofSeconds(4);

    Map<String, Supplier<String>> routes() {
        return Map.of(STATUS, () -> write(status()), PIPELINE, () -> write(pipeline()), FLOWS, () -> write(flowsDocument()));
    }

    private static String write(ObjectNode doc) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    ObjectNode status() {
        ObjectNode s = JSON.createObjectNode();
        s.put("node", config.nodeName());
        s.put("mode", mode());
        s.put("bridge", config.tunnels().bridge());
        s.put("clusterCidr", config.clusterCidr());
        Optional<Peer> self = reconciler.self();
        s.put("podCidr", self.flatMap(p -> p.ipv4PodCidrs().stream().findFirst()).map(Object::toString).orElse(null));
        s.put("internalIp", self.map(Peer::internalIp).orElse(null));
        Optional<String> notReady = readiness.get();
        s.put("ready", notReady.isEmpty());
        s.put("notReadyReason", notReady.orElse(null));
        ObjectNode api = s.putObject("api");
        api.put("synced", watcher.hasSynced());
        api.put("watching", watcher.isWatching());
        error(api, watcher.lastFailure().map(f -> Map.entry(f.at(), f.error())));
        s.putObject("ovsdb").put("connected", bridge.connected());
        flows.ifPresentOrElse(f -> {
            FlowProgrammer.Programmed p = f.programmed();
            ObjectNode of = s.putObject("openflow");
            of.put("connected", f.switchConnected());
            of.put("round", p.round());
            of.put("flows", p.flows().size());
        }, () -> s.putNull("openflow"));
        ObjectNode rec = s.putObject("reconcile");
        ReconcileLoop l = loop.get();
        rec.put("ok", l == null ? 0 : l.successes());
        rec.put("failed", l == null ? 0 : l.failures());
        error(rec, Optional.ofNullable(l).flatMap(ReconcileLoop::lastFailure).map(f -> Map.entry(f.at(), f.error())));
        rec.put("plumbingProblem", reconciler.plumbingProblem().orElse(null));
        ArrayNode peers = s.putArray("peers");
        for (Peer p : reconciler.peers()) {
            ObjectNode o = peers.addObject();
            o.put("name", p.name());
            p.podCidrs().forEach(o.putArray("podCidrs")::add);
            o.put("internalIp", p.internalIp());
        }
        return s;
    }

    private static void error(ObjectNode into, Optional<Map.Entry<Instant, String>> failure) {
        failure.ifPresentOrElse(f -> {
            ObjectNode e = into.putObject("lastError");
            e.put("at", f.getKey().toString());
            e.put("error", f.getValue());
        }, () -> into.putNull("lastError"));
    }

    private String mode() {
        return config.tunnels().mode() == TunnelMode.FLOW ? "flow" : "per-node";
    }

    /**
     * {@code /v1/flows}: the current round's flows against the bridge's, read from the switch over
     * flaxd's own OpenFlow connection (see {@link FlowPlane#diff}); in per-node mode only the mode.
     */
    ObjectNode flowsDocument() {
        ObjectNode d = JSON.createObjectNode();
        d.put("node", config.nodeName());
        d.put("mode", mode());
        d.put("bridge", config.tunnels().bridge());
        if (flows.isPresent()) {
            try {
                d.setAll(FlowDiffJson.write(flows.get().diff(DUMP_BUDGET)));
            } catch (dev.linen.ovs.openflow.OpenFlowException | FlowPlane.Unsettled e) {
                throw new LocalApiServer.Unavailable("cannot read the bridge's flows: " + e.getMessage());
            }
        }
        return d;
    }

    ObjectNode pipeline() {
        ObjectNode d = JSON.createObjectNode();
        d.put("node", config.nodeName());
        d.put("mode", mode());
        d.put("bridge", config.tunnels().bridge());
        ArrayNode tables = d.putArray("tables");
        ArrayNode out = d.putArray("flows");
        if (flows.isEmpty()) {
            d.put("round", 0);
            return d;
        }
        Pipeline pipeline = flows.get().pipeline();
        tables.addAll(FlowDiffJson.tables(FlowDiff.tables(pipeline)));
        FlowProgrammer.Programmed p = flows.get().programmed();
        d.put("round", p.round());
        p.flows().stream().sorted(FlowDiff.ORDER)
                .forEach(f -> {
                    ObjectNode o = out.addObject();
                    o.put("table", f.flow().table());
                    o.put("tableName", FlowDiff.tableName(pipeline, f.flow().table()).orElse(null));
                    o.put("feature", pipeline.featureOf(f.flow().cookie()).orElse(null));
                    o.put("peer", f.peer().orElse(null));
                    o.put("priority", f.flow().priority());
                    o.put("cookie", f.flow().cookie().toString());
                    o.put("flow", f.flow().toString());
                });
        return d;
    }
}
