package dev.linen.flaxd;

import dev.linen.flaxd.bridge.BridgeReconciler;
import dev.linen.flaxd.cluster.NodeRules;
import dev.linen.flaxd.cluster.NodeWatcher;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.cluster.PeerTable;
import dev.linen.flaxd.http.Metrics;
import dev.linen.flaxd.node.BridgeNetfilter;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.pipeline.FlowPlane;
import dev.linen.flaxd.pipeline.PipelineInput;
import dev.linen.flaxd.tunnel.TunnelPorts;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsdbUnavailableException;
import dev.linen.ovs.flow.Ipv4Prefix;
import io.fabric8.kubernetes.api.model.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One reconcile of a batch of keys, the one place that decides what is trusted and which concern
 * does what. Nothing is changed before the Node cache has held a complete list: until then OVS keeps
 * forwarding with whatever a previous flaxd left. Then:
 * <ul>
 * <li>{@link #FULL} (start, a new OVSDB session, a failed reconcile, the slow periodic pass): every
 *     Node is checked again from the cache, and every concern is compared whole with what it
 *     manages (bridge ports read, flows diffed and counted);</li>
 * <li>node names (informer events): only those Nodes are checked, and only their peers' tunnel
 *     ports or flows are sent: O(changed), not O(cluster);</li>
 * <li>{@link #TICK} (every 2 s): the cheap checks: node plumbing (iptables chains, route, sysctls
 *     including br_netfilter's),
 *     the bridge's attachment to the Linux bridge, one single-row OVSDB select (a dead session or a
 *     deleted bridge shows), in flow mode the bridge's ports and two flow counts. No O(N) read: in
 *     per-node mode a hand-deleted tunnel port is repaired by the next full pass.</li>
 * </ul>
 * A failed reconcile makes the next one {@link #FULL}. Runs on the reconcile thread alone.
 */
public final class NodeReconciler implements Consumer<Set<String>> {
    private static final Logger LOG = Logger.getLogger(NodeReconciler.class.getName());
    public static final String FULL = "*";
    public static final String TICK = "~";

    private final NodeWatcher watcher;
    private final PeerTable table;
    private final Ipv4Prefix clusterCidr;
    private final BridgeReconciler bridge;
    private final String bridgeName;
    private final NodeNetwork node;
    private final BridgeNetfilter netfilter;
    private final TunnelPorts tunnels;
    private final Optional<FlowPlane> flows;
    private final Metrics metrics;
    private boolean needFull = true;
    private long sessionsSeen;
    private volatile boolean fullDone;

    public NodeReconciler(NodeWatcher watcher, PeerTable table, Ipv4Prefix clusterCidr, BridgeReconciler bridge,
                          String bridgeName, NodeNetwork node, TunnelPorts tunnels, Optional<FlowPlane> flows,
                          Metrics metrics) {
        this.watcher = watcher;
        this.table = table;
        this.clusterCidr = clusterCidr;
        this.bridge = bridge;
        this.bridgeName = bridgeName;
        this.node = node;
        this.netfilter = new BridgeNetfilter(node.cmd());
        this.tunnels = tunnels;
        this.flows = flows;
        this.metrics = metrics;
    }

    private volatile Optional<String> selfProblem = Optional.of("this node's Node has no pod CIDR or InternalIP yet");
    private volatile Optional<dev.linen.flaxd.cluster.Peer> self = Optional.empty();

    /** This node as last accepted (any thread): what its conflist is written from. */
    public Optional<dev.linen.flaxd.cluster.Peer> self() {
        return self;
    }

    /** What keeps this node from carrying pods, as of the last reconcile (readable from any thread). */
    public Optional<String> selfProblem() {
        return selfProblem;
    }

    /** The accepted peers as of the last reconcile, from any thread (kept by deltas: O(change) per batch). */
    private volatile Map<String, Peer> peerView = new java.util.concurrent.ConcurrentHashMap<>();

    /** The accepted peers, by name, as of the last reconcile (any thread; a change may show in part). */
    public List<Peer> peers() {
        return new java.util.ArrayList<>(new java.util.TreeMap<>(peerView).values());
    }

    /** True once a full reconcile of a complete Node list succeeded. */
    public boolean fullDone() {
        return fullDone;
    }

    @Override
    public void accept(Set<String> batch) {
        metrics.informer(watcher.hasSynced(), watcher.isWatching());
        if (!watcher.hasSynced()) {
            return; // an incomplete view: change nothing (the sync's completion queues FULL)
        }
        long start = System.nanoTime();
        try {
            reconcile(batch);
            metrics.reconciled(true, System.nanoTime() - start);
        } catch (OvsdbUnavailableException e) {
            bridge.sessionFailed();
            failed(start);
            throw e;
        } catch (RuntimeException e) {
            failed(start);
            throw e;
        } finally {
            metrics.rejections(table.rejectedByReason(), table.rejectionsLogged());
            self = table.self();
            selfProblem = table.self().isPresent() ? Optional.empty()
                    : Optional.of(table.selfRejection().map(r -> "this node's own " + r.describe())
                            .orElse("this node's Node has no pod CIDR or InternalIP yet"));
            metrics.peers(table.size());
        }
    }

    private void failed(long start) {
        needFull = true;
        metrics.reconciled(false, System.nanoTime() - start);
    }

    private void reconcile(Set<String> batch) {
        OvsDatabase db = bridge.session();
        if (bridge.sessions() != sessionsSeen) {
            sessionsSeen = bridge.sessions();
            needFull = true;
        }
        if (needFull || batch.contains(FULL)) {
            counted(db, Metrics.Cause.FULL, () -> full(db));
            needFull = false;
            fullDone = true;
            return;
        }
        boolean selfChanged = counted(db, Metrics.Cause.PEERS, () -> changed(db, batch));
        if (selfChanged) {
            counted(db, Metrics.Cause.FULL, () -> full(db));
            return;
        }
        if (batch.contains(TICK)) {
            counted(db, Metrics.Cause.TICK, () -> tick(db));
        }
    }

    private void counted(OvsDatabase db, Metrics.Cause cause, Runnable work) {
        counted(db, cause, () -> {
            work.run();
            return true;
        });
    }

    /** Runs {@code work}, charging the OVSDB transactions it sent to {@code cause}. */
    private <T> T counted(OvsDatabase db, Metrics.Cause cause, java.util.function.Supplier<T> work) {
        long before = db.transactions();
        try {
            return work.get();
        } finally {
            metrics.ovsdbTransactions(cause, db.transactions() - before);
        }
    }

    /** Applies the named Nodes' changes; true when this node's own Node changed (a full pass follows). */
    private boolean changed(OvsDatabase db, Set<String> batch) {
        Map<String, Optional<Peer>> before = new LinkedHashMap<>();
        for (String name : batch) {
            if (name.equals(FULL) || name.equals(TICK)) {
                continue;
            }
            PeerTable.Delta d = table.update(name, watcher.node(name).map(this::verdict));
            d.removed().forEach(p -> before.putIfAbsent(p.name(), Optional.of(p)));
            d.added().forEach(p -> before.putIfAbsent(p.name(), Optional.empty()));
            if (d.selfChanged()) {
                return true; // a full pass follows; the rest of the batch is covered by it
            }
        }
        List<Peer> removed = new java.util.ArrayList<>();
        List<Peer> added = new java.util.ArrayList<>();
        before.forEach((name, old) -> {
            Optional<Peer> now = table.peer(name);
            if (!now.equals(old)) {
                old.ifPresent(removed::add);
                now.ifPresent(added::add);
            }
        });
        if (!removed.isEmpty() || !added.isEmpty()) {
            removed.forEach(p -> peerView.remove(p.name()));
            added.forEach(p -> peerView.put(p.name(), p));
            tunnels.applyPeers(db, removed, added);
            flows.ifPresent(f -> f.peersChanged(db, local(), table::peers, removed, added));
            LOG.fine("peers changed: -" + removed.size() + " +" + added.size());
        }
        return false;
    }

    private NodeRules.Verdict verdict(Node n) {
        return NodeRules.check(n, clusterCidr);
    }

    /** Everything compared whole: the Node list from the cache, ports read, flows diffed. */
    private void full(OvsDatabase db) {
        // oldest first: in a clash the Node that was there first keeps its range or address
        List<Node> nodes = new java.util.ArrayList<>(watcher.nodes());
        nodes.sort(java.util.Comparator.comparing((Node n) -> String.valueOf(n.getMetadata().getCreationTimestamp()))
                .thenComparing(n -> n.getMetadata().getName()));
        Map<String, NodeRules.Verdict> all = new LinkedHashMap<>();
        for (Node n : nodes) {
            all.put(n.getMetadata().getName(), verdict(n));
        }
        table.replaceAll(all);
        bridge.ensure(db);
        plumbing();
        List<Peer> peers = table.peers();
        Map<String, Peer> view = new java.util.concurrent.ConcurrentHashMap<>();
        peers.forEach(p -> view.put(p.name(), p));
        peerView = view;
        int changes = tunnels.sync(db, peers);
        if (changes > 0) {
            LOG.info("tunnel ports changed: " + changes);
        }
        flows.ifPresent(f -> f.sync(db, local(), peers));
        metrics.tunnelPorts(flows.isPresent() ? 1 : peers.size());
    }

    /** The periodic cheap checks (see the class comment). */
    private void tick(OvsDatabase db) {
        plumbing();
        // one single-row select: a dead session throws here (and is reopened), a deleted bridge shows
        if (db.ofport(bridgeName).isEmpty()) {
            LOG.warning("bridge " + bridgeName + " is gone from OVSDB: full sync");
            full(db);
            return;
        }
        if (flows.isPresent()) {
            if (tunnels.sync(db, List.of()) > 0) {
                flows.get().sync(db, local(), table.peers());
            } else {
                flows.get().verify(db, local(), table::peers);
            }
        }
    }

    /**
     * Node rules for this node's pod range (once known), the gateway MAC, the bridge attachment,
     * br_netfilter's sysctls (its absence is only reported, see {@link #bridgeNetfilter}).
     * A failure here never stops tunnels and flows from following the peers: it is logged, shown in
     * /readyz and tried again at the next tick. Idempotent.
     */
    private void plumbing() {
        try {
            ensurePlumbing();
            plumbingProblem = Optional.empty();
        } catch (dev.linen.flaxd.node.NodeNetworkException e) {
            plumbingProblem = Optional.of("node plumbing failed (retried every tick): " + e.getMessage());
            LOG.warning(plumbingProblem.get());
        }
    }

    private volatile Optional<String> plumbingProblem = Optional.empty();

    /** Why the node's plumbing is not in place, as of the last attempt (readable from any thread). */
    public Optional<String> plumbingProblem() {
        return plumbingProblem;
    }

    private void ensurePlumbing() {
        Optional<Ipv4Prefix> local = table.self().flatMap(s -> s.ipv4PodCidrs().stream().findFirst());
        if (local.isPresent()) {
            List<String> repaired = node.ensure(local.get().toString());
            if (!repaired.isEmpty()) {
                LOG.info("node plumbing set up or repaired: " + String.join(", ", repaired));
            }
        }
        if (flows.isPresent()) {
            local().ifPresent(l -> node.ensureGatewayMac(l.gatewayMac()));
        }
        node.ensureAttached(bridgeName);
        bridgeNetfilter();
    }

    private Optional<String> bridgeNetfilterProblem = Optional.empty();

    /**
     * br_netfilter on in this node's namespace (kube-proxy's Services need it); when it cannot be
     * had, a warning logged once per change of reason and the metric at 0. Pods still get
     * connectivity, so this never makes flaxd unready.
     */
    private void bridgeNetfilter() {
        BridgeNetfilter.Status s = netfilter.ensure();
        switch (s) {
            case BridgeNetfilter.Status.On on -> {
                if (!on.repaired().isEmpty()) {
                    LOG.info("br_netfilter behaviour set up or repaired: " + String.join(", ", on.repaired()));
                }
                if (bridgeNetfilterProblem.isPresent()) {
                    LOG.info("br_netfilter is on again");
                }
                bridgeNetfilterProblem = Optional.empty();
            }
            case BridgeNetfilter.Status.Unavailable u -> {
                if (!bridgeNetfilterProblem.equals(Optional.of(u.reason()))) {
                    LOG.warning(u.reason());
                }
                bridgeNetfilterProblem = Optional.of(u.reason());
            }
        }
        metrics.bridgeNetfilter(bridgeNetfilterProblem.isEmpty());
    }

    private Optional<PipelineInput.Local> local() {
        return FlowPlane.local(table.self());
    }
}
