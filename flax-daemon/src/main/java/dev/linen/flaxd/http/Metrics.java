package dev.linen.flaxd.http;

import dev.linen.flaxd.cluster.Rejection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * flaxd's metrics, rendered in the Prometheus text format. Thread-safe: the reconcile loop writes,
 * the HTTP server reads.
 */
public final class Metrics {

    private final AtomicLong peers = new AtomicLong();
    private final AtomicLong tunnelPorts = new AtomicLong();
    private final AtomicLong reconcileOk = new AtomicLong();
    private final AtomicLong reconcileErrors = new AtomicLong();
    private final AtomicLong ovsdbConnected = new AtomicLong();
    private final AtomicLong bridgeNetfilter = new AtomicLong();
    /** Why flaxd talked to OVS: a change of peers, a full pass, or the periodic check. */
    public enum Cause {
        PEERS, FULL, TICK,
        /** A request of the local API (linenctl): a flow dump. */
        API;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicLongArray ovsdbTransactions = new AtomicLongArray(Cause.values().length);
    private final AtomicLong flows = new AtomicLong();
    private final AtomicLong openflowConnected = new AtomicLong();
    private final AtomicLongArray openflowMessages = new AtomicLongArray(Cause.values().length);
    private final AtomicLong informerSynced = new AtomicLong();
    private final AtomicLong informerWatching = new AtomicLong();
    private volatile java.util.Map<Rejection.Reason, Integer> rejected = java.util.Map.of();
    private volatile java.util.Map<Rejection.Reason, Long> rejectionsLogged = java.util.Map.of();
    private final Histogram reconcileLatency = new Histogram();
    private final Histogram flowModLatency = new Histogram();
    private volatile java.util.function.Supplier<java.util.Map<String, Long>> flowsByTable = java.util.Map::of;

    public void peers(int n) {
        peers.set(n);
    }

    public void tunnelPorts(int n) {
        tunnelPorts.set(n);
    }

    /** Adds the transactions a session sent since it was last counted. */
    public void ovsdbTransactions(Cause cause, long delta) {
        ovsdbTransactions.addAndGet(cause.ordinal(), delta);
    }

    /** Flows flaxd keeps on the bridge (flow mode). */
    public void flows(int n) {
        flows.set(n);
    }

    public void openflowConnected(boolean up) {
        openflowConnected.set(up ? 1 : 0);
    }

    /** Adds OpenFlow messages (flow mods, barriers) sent since last counted. */
    public void openflowMessages(Cause cause, long delta) {
        openflowMessages.addAndGet(cause.ordinal(), delta);
    }

    /** The Node informer's state: a complete list seen, the watch open. */
    public void informer(boolean synced, boolean watching) {
        informerSynced.set(synced ? 1 : 0);
        informerWatching.set(watching ? 1 : 0);
    }

    /** Nodes rejected now, and rejections logged since start, by reason. */
    public void rejections(java.util.Map<Rejection.Reason, Integer> now, java.util.Map<Rejection.Reason, Long> logged) {
        rejected = java.util.Map.copyOf(now);
        rejectionsLogged = java.util.Map.copyOf(logged);
    }

    /** Whether br_netfilter is on in the node's namespace (0: it cannot be had; the log says why). */
    public void bridgeNetfilter(boolean on) {
        bridgeNetfilter.set(on ? 1 : 0);
    }

    public void ovsdbConnected(boolean up) {
        ovsdbConnected.set(up ? 1 : 0);
    }

    /** One reconcile finished (or failed) after {@code nanos}. */
    public void reconciled(boolean ok, long nanos) {
        (ok ? reconcileOk : reconcileErrors).incrementAndGet();
        reconcileLatency.observe(nanos);
    }

    /** One batch of flow mods was applied (sent, and its barrier answered) in {@code nanos}. */
    public void flowModBatch(long nanos) {
        flowModLatency.observe(nanos);
    }

    /**
     * Where the flows per table come from: table name to count, every table of the pipeline
     * present; asked on each scrape (so a change of peers costs nothing here). Thread-safe supplier.
     */
    public void flowsByTable(java.util.function.Supplier<java.util.Map<String, Long>> counts) {
        flowsByTable = counts;
    }

    public long reconcileOk() {
        return reconcileOk.get();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "flaxd_peers", "Peer nodes with a pod CIDR and an InternalIP", peers.get());
        gauge(sb, "flaxd_informer_synced", "1 once the Node informer has listed every Node", informerSynced.get());
        gauge(sb, "flaxd_informer_watching", "1 while the Node watch is open (0: flaxd keeps the last good state)",
                informerWatching.get());
        sb.append("# HELP flaxd_nodes_rejected Nodes skipped for a bad or clashing field, by reason\n")
                .append("# TYPE flaxd_nodes_rejected gauge\n");
        for (Rejection.Reason r : Rejection.Reason.values()) {
            sb.append("flaxd_nodes_rejected{reason=\"").append(r.label()).append("\"} ")
                    .append(rejected.getOrDefault(r, 0)).append('\n');
        }
        sb.append("# HELP flaxd_node_rejections_total Node rejections logged, by reason\n")
                .append("# TYPE flaxd_node_rejections_total counter\n");
        for (Rejection.Reason r : Rejection.Reason.values()) {
            sb.append("flaxd_node_rejections_total{reason=\"").append(r.label()).append("\"} ")
                    .append(rejectionsLogged.getOrDefault(r, 0L)).append('\n');
        }
        gauge(sb, "flaxd_tunnel_ports", "VXLAN ports flaxd keeps on the bridge", tunnelPorts.get());
        gauge(sb, "flaxd_br_netfilter", "1 while bridged pod traffic passes iptables (br_netfilter, which kube-proxy's"
                + " Services need); 0 before the first check or when it cannot be had here (flaxd's log says why)", bridgeNetfilter.get());
        gauge(sb, "flaxd_ovsdb_connected", "1 while the OVSDB session is up", ovsdbConnected.get());
        byCause(sb, "flaxd_ovsdb_transactions_total", "OVSDB transactions sent (reads and writes), by cause",
                ovsdbTransactions);
        gauge(sb, "flaxd_flows", "OpenFlow flows flaxd keeps on the bridge", flows.get());
        gauge(sb, "flaxd_openflow_connected", "1 while the bridge is connected to flaxd's controller",
                openflowConnected.get());
        byCause(sb, "flaxd_openflow_messages_total",
                "OpenFlow messages sent (flow mods, barriers, flow-count requests), by cause", openflowMessages);
        sb.append("# HELP flaxd_reconcile_total Reconciles by result\n# TYPE flaxd_reconcile_total counter\n");
        sb.append("flaxd_reconcile_total{result=\"ok\"} ").append(reconcileOk.get()).append('\n');
        sb.append("flaxd_reconcile_total{result=\"error\"} ").append(reconcileErrors.get()).append('\n');
        reconcileLatency.render(sb, "flaxd_reconcile_seconds", "Time to reconcile");
        flowModLatency.render(sb, "flaxd_flow_mod_seconds",
                "Time to apply a batch of flow mods (sent, and its barrier answered)");
        sb.append("# HELP flaxd_table_flows OpenFlow flows flaxd keeps on the bridge, by pipeline table\n")
                .append("# TYPE flaxd_table_flows gauge\n");
        flowsByTable.get().forEach((table, n) ->
                sb.append("flaxd_table_flows{table=\"").append(table).append("\"} ").append(n).append('\n'));
        return sb.toString();
    }

    private static void byCause(StringBuilder sb, String name, String help, AtomicLongArray counts) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
        for (Cause c : Cause.values()) {
            sb.append(name).append("{cause=\"").append(c.label()).append("\"} ").append(counts.get(c.ordinal())).append('\n');
        }
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }
}
