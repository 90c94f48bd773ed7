package dev.linen.flaxd;

import dev.linen.flaxd.bridge.BridgeReconciler;
import dev.linen.flaxd.cluster.NodeSerialization;
import dev.linen.flaxd.cluster.NodeWatcher;
import dev.linen.flaxd.cluster.PeerTable;
import dev.linen.flaxd.http.HealthServer;
import dev.linen.flaxd.http.Metrics;
import dev.linen.flaxd.install.ConflistWriter;
import dev.linen.flaxd.install.InstallCommand;
import dev.linen.flaxd.install.UninstallCommand;
import dev.linen.flaxd.node.Commands;
import dev.linen.flaxd.node.IptablesBackend;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.pipeline.FlowPlane;
import dev.linen.flaxd.reconcile.ReconcileLoop;
import dev.linen.flaxd.reconcile.WorkQueue;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.flaxd.tunnel.TunnelPorts;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.flow.Ipv4Prefix;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node daemon's wiring. {@link NodeReconciler} decides; the concerns are the bridge and its
 * OVSDB session ({@link BridgeReconciler}), the node's plumbing ({@link NodeNetwork}), the tunnel
 * ports ({@link TunnelPorts}) and, in flow mode, the flows ({@link FlowPlane}).
 * Start order: OpenFlow controller (flow mode), HTTP, informer (awaited, bounded), reconcile loop,
 * periodic ticks; stop in the reverse order. Not restartable: make a new one.
 */
public final class Flaxd implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Flaxd.class.getName());
    static final String LINUX_BRIDGE = "kbr0";
    /** The cheap periodic checks (see {@link NodeReconciler#TICK}). */
    static final Duration TICK = Duration.ofSeconds(2);
    /** The full pass that reads everything again: a safety net, not how changes are found. */
    static final Duration FULL_RESYNC = Duration.ofSeconds(60);

    private final FlaxdConfig config;
    private final KubernetesClient client;
    private final Commands commands;
    private final Optional<ConflistWriter> conflist;
    private Readiness readiness;
    /** Retries back off to one tick at most: what fails is local (OVSDB, OVS), and cheap to try again. */
    private final WorkQueue queue = new WorkQueue(Duration.ofMillis(100), TICK);
    private final Metrics metrics = new Metrics();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("flaxd-timers").daemon().unstarted(r));
    private Optional<FlowPlane> flowPlane = Optional.empty();
    private BridgeReconciler bridge;
    private NodeWatcher watcher;
    private NodeReconciler reconciler;
    private volatile ReconcileLoop loop;
    private HealthServer http;
    private Optional<dev.linen.flaxd.http.LocalApiServer> api = Optional.empty();

    /** {@code commands} run the node's iptables/ip/sysctl (on the host, or in a test's namespace). */
    public Flaxd(FlaxdConfig config, KubernetesClient client, Commands commands) {
        this(config, client, commands, Optional.empty());
    }

    /** With {@code conflist}: the node's conflist is written once flaxd is ready (see {@link ConflistWriter}). */
    public Flaxd(FlaxdConfig config, KubernetesClient client, Commands commands, Optional<ConflistWriter> conflist) {
        this.config = config;
        this.client = client;
        this.commands = commands;
        this.conflist = conflist;
    }

    /**
     * Starts everything, in order. Waits at most {@code syncTimeout} for the first complete Node
     * list, then starts the loop anyway: it changes nothing until that list is in.
     */
    public void start(Duration syncTimeout) throws InterruptedException, java.io.IOException {
        bridge = new BridgeReconciler(config.ovsdb(), this::bridgeSpec, metrics);
        if (config.tunnels().mode() == TunnelMode.FLOW) {
            // only the bridge whose datapath id OVSDB shows, connecting as OVSDB's socket owner, is admitted
            flowPlane = Optional.of(FlowPlane.start(config.openflow(),
                    BridgeSpec.of(config.tunnels().bridge(), config.datapathType()),
                    () -> queue.add(NodeReconciler.FULL), metrics, bridge::current, config.ovsdb()));
        }
        watcher = new NodeWatcher(client, queue);
        PeerTable table = new PeerTable(config.nodeName());
        NodeNetwork node = new NodeNetwork(commands, IptablesBackend.detect(commands, config.iptables()),
                config.clusterCidr(), LINUX_BRIDGE);
        reconciler = new NodeReconciler(watcher, table, Ipv4Prefix.parse(config.clusterCidr()), bridge,
                config.tunnels().bridge(), node, new TunnelPorts(config.tunnels()), flowPlane, metrics);
        readiness = new Readiness(watcher, reconciler, bridge, flowPlane);
        http = new HealthServer(config.http(), this::live, readiness, metrics);
        http.start();
        if (config.api().isPresent()) {
            LocalApi docs = new LocalApi(config, watcher, reconciler, bridge, flowPlane, readiness, () -> loop);
            api = Optional.of(new dev.linen.flaxd.http.LocalApiServer(config.api().get(), docs.routes()));
            api.get().start();
        }
        watcher.start().whenComplete((ok, error) -> queue.add(NodeReconciler.FULL));
        openBridgeEarly();
        if (!watcher.awaitSynced(syncTimeout)) {
            LOG.warning("no complete Node list after " + syncTimeout.toSeconds()
                    + " s: starting anyway; nothing is changed until the list is in");
        }
        loop = new ReconcileLoop(queue, reconciler);
        loop.start();
        queue.add(NodeReconciler.FULL);
        timers.scheduleWithFixedDelay(() -> queue.add(NodeReconciler.TICK), TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(() -> queue.add(NodeReconciler.FULL), FULL_RESYNC.toMillis(),
                FULL_RESYNC.toMillis(), TimeUnit.MILLISECONDS);
        conflist.ifPresent(w -> timers.scheduleWithFixedDelay(() -> writeConflistIfReady(w), 0,
                CONFLIST_POLL.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Opens the OVSDB session while the first Node list is still being read (on the starting
     * thread, before the loop that owns {@link #bridge} runs), so that in flow mode the switch is
     * connected and admitted when the list is in. Creates a missing bridge; changes nothing of an
     * existing one (see {@link BridgeReconciler#openBeforeSync}). A failure is logged; the loop
     * retries it.
     */
    private void openBridgeEarly() {
        try {
            bridge.openBeforeSync();
        } catch (RuntimeException e) {
            LOG.info("OVSDB not reachable yet (the reconcile loop retries): " + e.getMessage());
        }
    }

    /** How often readiness is polled for the conflist (also how soon a deleted one is back). */
    static final Duration CONFLIST_POLL = Duration.ofSeconds(1);

    /** On the timer thread: once ready, the conflist says what this node needs (a file read when it does). */
    private void writeConflistIfReady(ConflistWriter w) {
        Optional<dev.linen.flaxd.cluster.Peer> self = reconciler.self();
        if (readiness.get().isPresent() || self.isEmpty()) {
            return;
        }
        try {
            w.ensure(self.get());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warning("cannot write the conflist into " + w.confDir() + ": " + e.getMessage());
        }
    }

    private boolean live() {
        return loop == null || loop.isAlive();
    }

    /**
     * Flow mode: secure, OpenFlow 1.3, flaxd the only controller (traffic only through its flows).
     * Per-node mode forwards with NORMAL, so that bridge is standalone and has no controller.
     */
    private BridgeSpec bridgeSpec() {
        Map<String, String> ids = Map.of("linen-owner", "flaxd");
        return flowPlane.map(f -> new BridgeSpec(config.tunnels().bridge(), config.datapathType(),
                        Optional.of("secure"), Set.of("OpenFlow13"), ids,
                        Optional.of(FlaxdConfig.controllerTarget(f.address()))))
                .orElseGet(() -> new BridgeSpec(config.tunnels().bridge(), config.datapathType(),
                        Optional.of("standalone"), Set.of(), ids, Optional.empty()));
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

    /** The local API's socket, when it has one. */
    public Optional<java.nio.file.Path> apiSocket() {
        return api.map(dev.linen.flaxd.http.LocalApiServer::socket);
    }

    /** Stops in reverse start order. Idempotent. */
    @Override
    public void close() {
        timers.shutdownNow();
        if (loop != null) {
            loop.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        api.ifPresent(dev.linen.flaxd.http.LocalApiServer::close);
        if (http != null) {
            http.close();
        }
        if (bridge != null) {
            bridge.close();
        }
        flowPlane.ifPresent(FlowPlane::close);
    }

    /**
     * {@code flaxd} runs the daemon; {@code flaxd install} is the DaemonSet's init step (binaries);
     * {@code flaxd uninstall} removes what Linen put on the node.
     */
    public static void main(String[] args) {
        LogFormat.install();
        try {
            run(args);
        } catch (Exception e) {
            LOG.log(java.util.logging.Level.SEVERE, "flaxd stopped", e);
            System.exit(1);
        }
    }

    /**
     * The API client from the usual sources (service account, kubeconfig, KUBERNETES_* env). Its
     * list/watch retries back off from {@link #RETRY_FIRST} doubling up to 32 times that (fabric8
     * caps at 2^5): 4 s, so a node is ready again within seconds of the API's return. Set
     * KUBERNETES_WATCH_RECONNECTINTERVAL (ms) to back off further in very large clusters.
     */
    static KubernetesClient apiClient() {
        io.fabric8.kubernetes.client.Config api = io.fabric8.kubernetes.client.Config.autoConfigure(null);
        if (System.getenv("KUBERNETES_WATCH_RECONNECTINTERVAL") == null) {
            api.setWatchReconnectInterval((int) RETRY_FIRST.toMillis());
        }
        return new KubernetesClientBuilder().withConfig(api)
                .withKubernetesSerialization(NodeSerialization.readOnly()).build();
    }

    private static final Duration RETRY_FIRST = Duration.ofMillis(125);

    private static void run(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("install")) {   // binaries only: needs no node name, API or OVS
            InstallCommand.fromEnv(System.getenv()).run();
            return;
        }
        FlaxdConfig config = FlaxdConfig.fromEnv(System.getenv());
        if (args.length == 1 && args[0].equals("uninstall")) {
            UninstallCommand.fromEnv(System.getenv(), config, LINUX_BRIDGE, Commands.host()).run();
            return;
        }
        if (args.length != 0) {
            throw new IllegalArgumentException("usage: flaxd [install | uninstall]: not " + String.join(" ", args));
        }
        try (KubernetesClient client = apiClient();
             Flaxd flaxd = new Flaxd(config, client, Commands.host(),
                     Optional.of(ConflistWriter.fromEnv(System.getenv(), config)))) {
            flaxd.start(Duration.ofSeconds(60));
            CountDownLatch stopped = new CountDownLatch(1);
            // SIGTERM: stop in the documented order before the JVM halts (close is idempotent)
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                flaxd.close();
                stopped.countDown();
            }));
            stopped.await();
        }
    }
}
