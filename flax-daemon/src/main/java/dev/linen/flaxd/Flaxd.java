package dev.linen.flaxd;

import dev.linen.flaxd.cluster.NodeWatcher;
import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.http.HealthServer;
import dev.linen.flaxd.http.Metrics;
import dev.linen.flaxd.install.InstallCommand;
import dev.linen.flaxd.node.Commands;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.pipeline.FlowPlane;
import dev.linen.flaxd.reconcile.ReconcileLoop;
import dev.linen.flaxd.reconcile.WorkQueue;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.flaxd.tunnel.TunnelPorts;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The node daemon: watches Nodes, keeps this node's tunnel ports equal to its peers and its
 * forwarding/NAT/route set up for its pod CIDR.
 * In flow mode it is also the bridge's only OpenFlow controller and keeps the pipeline's flows.
 * Start order: OpenFlow controller (flow mode), OVSDB session, bridge, informer, reconcile loop
 * (after the informer's first list), HTTP; stop in the reverse order. Not restartable: make a new one.
 */
public final class Flaxd implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Flaxd.class.getName());
    static final String FULL_SYNC = "*";
    static final String LINUX_BRIDGE = "kbr0";
    private static final Duration OVSDB_TIMEOUT = Duration.ofSeconds(10);

    private final FlaxdConfig config;
    private final KubernetesClient client;
    private final WorkQueue queue = new WorkQueue(Duration.ofMillis(100), Duration.ofSeconds(30));
    private final TunnelPorts tunnels;
    private final NodeNetwork node;
    private volatile String appliedPodCidr = "";
    /** The OVSDB session; replaced after a failure (an ovsdb-server restart ends the old one). */
    private volatile OvsDatabase db;
    private NodeWatcher watcher;
    private ReconcileLoop loop;
    private HealthServer http;
    private FlowPlane flowPlane;
    private final Metrics metrics = new Metrics();
    private static final Duration RESYNC = Duration.ofSeconds(2);
    private final java.util.concurrent.ScheduledExecutorService resync =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().name("flaxd-resync").daemon().unstarted(r));

    /** {@code commands} run the node's iptables/ip/sysctl (on the host, or in a test's namespace). */
    public Flaxd(FlaxdConfig config, KubernetesClient client, Commands commands) {
        this.config = config;
        this.client = client;
        this.tunnels = new TunnelPorts(config.tunnels());
        this.node = new NodeNetwork(commands, config.clusterCidr(), LINUX_BRIDGE);
    }

    /** Starts everything, in order; returns once the first full sync is queued. */
    public void start(Duration syncTimeout) throws InterruptedException, java.io.IOException {
        if (flowMode()) {
            flowPlane = FlowPlane.start(config.openflow(),
                    BridgeSpec.of(config.tunnels().bridge(), config.datapathType()), () -> queue.add(FULL_SYNC), metrics,
                    () -> Optional.ofNullable(db));
        }
        try {
            session();
        } catch (OvsdbUnavailableException e) {
            // OVS may start after flaxd (same DaemonSet rollout, node boot): the loop keeps trying
            LOG.warning("OVSDB not reachable yet, the reconcile loop retries: " + e.getMessage());
        }
        watcher = new NodeWatcher(client, config.nodeName(), queue);
        watcher.start();
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        while (!watcher.hasSynced() && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofMillis(20));
        }
        loop = new ReconcileLoop(queue, key -> timedReconcile());
        loop.start();
        queue.add(FULL_SYNC);
        http = new HealthServer(config.http(), loop::isAlive, () -> metrics.reconcileOk() == 0
                ? Optional.of("waiting for the first full sync") : flowPlane != null && !flowPlane.ready()
                ? Optional.of("waiting for the first round of flows") : Optional.<String>empty(), metrics);
        http.start();
        // a full resync now and then repairs what no event announces (an OVS restart, a hand edit)
        resync.scheduleWithFixedDelay(() -> queue.add(FULL_SYNC), RESYNC.toMillis(), RESYNC.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The live OVSDB session, opening one (and ensuring the bridge) when there is none. */
    private OvsDatabase session() {
        OvsDatabase current = db;
        if (current == null) {
            current = OvsDatabases.connect(config.ovsdb(), OVSDB_TIMEOUT);
            current.ensureBridge(bridgeSpec());
            db = current;
            metrics.ovsdbConnected(true);
        }
        return current;
    }

    private boolean flowMode() {
        return config.tunnels().mode() == TunnelMode.FLOW;
    }

    /**
     * Flow mode: secure, OpenFlow 1.3, flaxd the only controller (traffic only through its flows).
     * Per-node mode forwards with NORMAL, so that bridge is standalone and has no controller.
     */
    private BridgeSpec bridgeSpec() {
        Map<String, String> ids = Map.of("linen-owner", "flaxd");
        return flowMode()
                ? new BridgeSpec(config.tunnels().bridge(), config.datapathType(), Optional.of("secure"),
                        Set.of("OpenFlow13"), ids, Optional.of(FlaxdConfig.controllerTarget(flowPlane.address())))
                : new BridgeSpec(config.tunnels().bridge(), config.datapathType(), Optional.of("standalone"),
                        Set.of(), ids, Optional.empty());
    }

    private void timedReconcile() {
        long start = System.nanoTime();
        try {
            reconcile();
            metrics.reconciled(true, System.nanoTime() - start);
        } catch (OvsdbUnavailableException e) {
            // the session is gone (or never came): drop it; the retry opens a new one
            OvsDatabase dead = db;
            db = null;
            metrics.ovsdbConnected(false);
            if (dead != null) {
                dead.close();
            }
            metrics.reconciled(false, System.nanoTime() - start);
            throw e;
        } catch (RuntimeException e) {
            metrics.reconciled(false, System.nanoTime() - start);
            throw e;
        }
    }

    /** Compares the peers in the informer's cache with the bridge's tunnel ports and closes the gap. */
    private void reconcile() {
        Optional<Peer> self = watcher.self();
        if (self.isPresent() && !self.get().podCidrs().get(0).equals(appliedPodCidr)) {
            node.ensure(self.get().podCidrs().get(0));
            appliedPodCidr = self.get().podCidrs().get(0);
        }
        var peers = watcher.peers();
        node.ensureAttached(config.tunnels().bridge());
        OvsDatabase session = session();
        long before = session.transactions();
        int changes = tunnels.sync(session, peers);
        if (flowPlane != null) {
            var local = FlowPlane.local(self);
            local.ifPresent(l -> node.ensureGatewayMac(l.gatewayMac()));
            flowPlane.sync(session, local, peers);
        }
        metrics.ovsdbTransactions(session.transactions() - before);
        metrics.peers(peers.size());
        metrics.tunnelPorts(tunnels.desired(peers).size());
        if (changes > 0) {
            LOG.info("tunnel ports changed: " + changes);
        }
    }

    public ReconcileLoop loop() {
        return loop;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The port /healthz, /readyz and /metrics listen on. */
    public int httpPort() {
        return http.port();
    }

    /** Stops in reverse start order. Idempotent. */
    @Override
    public void close() {
        resync.shutdownNow();
        if (http != null) {
            http.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        OvsDatabase current = db;
        if (current != null) {
            current.close();
        }
        if (flowPlane != null) {
            flowPlane.close();
        }
    }

    /** {@code flaxd} runs the daemon; {@code flaxd install} is the DaemonSet's init step. */
    public static void main(String[] args) {
        LogFormat.install();
        try {
            run(args);
        } catch (Exception e) {
            LOG.log(java.util.logging.Level.SEVERE, "flaxd stopped", e);
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        FlaxdConfig config = FlaxdConfig.fromEnv(System.getenv());
        if (args.length == 1 && args[0].equals("uninstall")) {
            new NodeNetwork(Commands.host(), config.clusterCidr(), LINUX_BRIDGE).uninstall();
            return;
        }
        if (args.length == 1 && args[0].equals("install")) {
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                InstallCommand.fromEnv(System.getenv()).run(config, client, Duration.ofMinutes(10));
            }
            return;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build();
             Flaxd flaxd = new Flaxd(config, client, Commands.host())) {
            flaxd.start(Duration.ofSeconds(60));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
    }
}
