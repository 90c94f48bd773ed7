package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.http.Metrics;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.flaxd.tunnel.TunnelSpec;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.openflow.ControllerSpec;
import dev.linen.ovs.openflow.OpenFlowController;
import dev.linen.ovs.openflow.OpenFlowControllers;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Flow mode's OpenFlow side: flaxd's controller (the bridge's only one) and the programmer that
 * keeps the pipeline's flows on the bridge. Start before the bridge is configured to connect to it;
 * close after the reconcile loop has stopped.
 */
public final class FlowPlane implements AutoCloseable {
    private final OpenFlowController controller;
    private final FlowProgrammer programmer;
    private final Metrics metrics;
    private long messagesCounted;
    private int lastTunnelPort;

    private FlowPlane(OpenFlowController controller, FlowProgrammer programmer, Metrics metrics) {
        this.controller = controller;
        this.programmer = programmer;
        this.metrics = metrics;
    }

    /**
     * Listens on {@code address}; {@code wake} is called when the bridge connects or goes. Only the
     * bridge itself is admitted, one connection at a time: the datapath id {@code ovsdb}'s session
     * shows for it (none while there is no session), from a socket of ovs-vswitchd's user
     * ({@link #switchUid} of {@code endpoint}, read at each admission); any other client is closed unheard.
     */
    public static FlowPlane start(InetSocketAddress address, BridgeSpec bridge, Runnable wake, Metrics metrics,
                                  java.util.function.Supplier<Optional<OvsDatabase>> ovsdb, OvsdbEndpoint endpoint) {
        FlowProgrammer programmer = new FlowProgrammer(bridge, Pipeline.standard(), wake, metrics::flowModBatch);
        metrics.flowsByTable(programmer::flowsByTable);
        OpenFlowController controller = OpenFlowControllers.listen(ControllerSpec.on(address, () -> ovsdb.get()
                .map(db -> db.datapathId(bridge.name())).orElse(java.util.OptionalLong.empty()),
                () -> switchUid(endpoint)), programmer);
        return new FlowPlane(controller, programmer, metrics);
    }

    /**
     * The user ovs-vswitchd runs as: the owner of the OVSDB unix socket (ovs-vswitchd runs as the
     * user that owns its database's socket: root on Debian, {@code openvswitch} on RHEL), the link
     * itself if it is one; 0 (root) for a TCP endpoint; empty while the socket cannot be read (no
     * switch is admitted then: OVS is not up yet). Read-only.
     */
    static java.util.OptionalInt switchUid(OvsdbEndpoint endpoint) {
        if (!(endpoint instanceof OvsdbEndpoint.UnixSocket(Path path))) {
            return java.util.OptionalInt.of(0);
        }
        try {
            return java.util.OptionalInt.of((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /**
     * Programs the flows for these peers (and this node, once it has a pod range: {@link #local}).
     * Idempotent.
     *
     * @throws IllegalStateException while {@code vxlan0} has no OpenFlow port yet (retried)
     */
    public void sync(OvsDatabase db, Optional<PipelineInput.Local> local, List<Peer> peers) {
        PipelineInput input = new PipelineInput(tunnelPort(db), local, peers);
        counted(Metrics.Cause.FULL, () -> programmer.sync(db, input));
    }

    /**
     * Programs only what a change of peers needs (their flows and a barrier); {@code peers} is the
     * whole set after the change, used only when the bridge needs a new round. Idempotent.
     */
    public void peersChanged(OvsDatabase db, Optional<PipelineInput.Local> local,
                             java.util.function.Supplier<List<Peer>> peers, List<Peer> removed, List<Peer> added) {
        int port = lastTunnelPort > 0 ? lastTunnelPort : tunnelPort(db);
        counted(Metrics.Cause.PEERS, () -> programmer.applyPeers(db, port, () -> new PipelineInput(port, local, peers.get()),
                removed, added));
    }

    /**
     * The periodic check: vxlan0's OpenFlow port and the flow counts. The flows are brought up to
     * date when the port changed (vxlan0 recreated or renumbered), a new round starts when the
     * bridge was changed behind flaxd's back. Idempotent.
     */
    public void verify(OvsDatabase db, Optional<PipelineInput.Local> local, java.util.function.Supplier<List<Peer>> peers) {
        int port = tunnelPort(db);
        counted(Metrics.Cause.TICK, () -> programmer.verify(db, port, () -> new PipelineInput(port, local, peers.get())));
    }

    /**
     * The tunnel port's OpenFlow number: one single-row OVSDB select on full syncs and checks; a
     * change of peers reuses the last one read (a recreated port is seen by the next check, which
     * then moves the flows to it).
     */
    private int tunnelPort(OvsDatabase db) {
        lastTunnelPort = db.ofport(TunnelSpec.FLOW_PORT).orElseThrow(
                () -> new IllegalStateException(TunnelSpec.FLOW_PORT + " has no OpenFlow port yet"));
        return lastTunnelPort;
    }

    private void counted(Metrics.Cause cause, Runnable work) {
        try {
            work.run();
        } finally {
            metrics.openflowConnected(programmer.switchConnected());
            metrics.flows(programmer.flows());
            long sent = programmer.messagesSent();
            // a reconnected switch counts from zero again
            metrics.openflowMessages(cause, sent >= messagesCounted ? sent - messagesCounted : sent);
            messagesCounted = sent;
        }
    }

    /**
     * The current round's flows against what the bridge holds, read from the switch over flaxd's
     * connection. A dump counts only when the programmed state was settled (no change under way,
     * see {@link FlowProgrammer.Programmed#edits}) before it and unchanged after it; otherwise it is
     * read again while {@code budget} lasts. Read-only; thread-safe. Each dump request is counted
     * under the {@code api} cause of the OpenFlow message metric.
     *
     * @throws dev.linen.ovs.openflow.OpenFlowException when no switch is connected or it does not answer
     * @throws Unsettled when flaxd kept changing the flows for the whole budget
     */
    public FlowDiff diff(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 1; ; attempt++) {
            FlowProgrammer.Programmed before = programmer.programmed();
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            List<dev.linen.ovs.openflow.InstalledFlow> held;
            try {
                held = programmer.dumpFlows(left);
            } catch (dev.linen.ovs.openflow.OpenFlowException.Timeout e) {
                metrics.openflowMessages(Metrics.Cause.API, 1);
                throw e;
            }
            metrics.openflowMessages(Metrics.Cause.API, 1);
            if (before.settled() && programmer.programmed().edits() == before.edits()) {
                return FlowDiff.of(pipeline(), before, held);
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new Unsettled("flaxd was changing the bridge's flows during each of " + attempt
                        + " reads; try again");
            }
        }
    }

    /** {@link #diff} found no quiet moment to read the bridge in. */
    public static final class Unsettled extends RuntimeException {
        Unsettled(String message) {
            super(message);
        }
    }

    /** This node's pod range (its first IPv4 one) and gateway MAC, once its Node has a pod CIDR. */
    public static Optional<PipelineInput.Local> local(Optional<Peer> self) {
        return self.flatMap(s -> s.ipv4PodCidrs().stream().findFirst())
                .map(c -> new PipelineInput.Local(c, NodeNetwork.gatewayMac(c.toString())));
    }

    /** Where the controller listens (with the bound port). */
    public InetSocketAddress address() {
        return controller.address();
    }

    /** The pipeline this plane programs. */
    public Pipeline pipeline() {
        return Pipeline.standard();
    }

    /** What is programmed now (round and flows); see {@link FlowProgrammer#programmed()}. Thread-safe. */
    public FlowProgrammer.Programmed programmed() {
        return programmer.programmed();
    }

    /** True while the bridge is connected to the controller. Thread-safe. */
    public boolean switchConnected() {
        return programmer.switchConnected();
    }

    /** True once a full round of flows is on the bridge. */
    public boolean ready() {
        return programmer.roundsCompleted() > 0;
    }

    /** Stops listening; the flows stay on the bridge (fail_mode=secure keeps them). Idempotent. */
    @Override
    public void close() {
        controller.close();
    }
}
