package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.openflow.FlowMod;
import dev.linen.ovs.openflow.FlowSwitch;
import dev.linen.ovs.openflow.OpenFlowException;
import dev.linen.ovs.openflow.SwitchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.opendaylight.openflowjava.protocol.api.connection.ConnectionAdapter;
import org.opendaylight.openflowjava.protocol.api.connection.ConnectionReadyListener;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.BarrierInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.ErrorMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.GetFeaturesInputBuilder;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.GetFeaturesOutput;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.HelloInputBuilder;
import org.opendaylight.yangtools.yang.common.RpcResult;
import org.opendaylight.yangtools.yang.common.Uint32;

/**
 * One switch connection: the OpenFlow 1.3 handshake (hello, features, admission), then flow mods
 * with barriers, errors matched to the mod that caused them by xid, and a bound on unacknowledged
 * mods. Messages from the switch arrive through {@link OfjMessages}. The handshake never blocks a
 * thread: a connection that is not admitted by its deadline is closed; only an admitted switch
 * reaches the {@link SwitchListener}.
 */
final class OfjSwitch implements FlowSwitch, ConnectionReadyListener {
    private static final Logger LOG = Logger.getLogger(OfjSwitch.class.getName());
    private static final int BATCH = 256;
    private static final Duration ADMISSION_RETRY = Duration.ofMillis(100);

    /** What every connection of one controller shares for its handshake. */
    record Handshake(Admission admission, ScheduledExecutorService timer, ExecutorService callbacks,
                     Duration timeout) {
    }

    private enum State { HANDSHAKE, ADMITTED, CLOSED }

    private final ConnectionAdapter connection;
    private final SwitchListener listener;
    private final Handshake handshake;
    private final Semaphore inFlight;
    private final AtomicLong xids = new AtomicLong(1);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<State> state = new AtomicReference<>(State.HANDSHAKE);
    /** Mods sent and not yet covered by an answered barrier, by xid, with their batch's error list. */
    private final Map<Long, Sent> outstanding = new ConcurrentHashMap<>();
    /** Statistics requests (counts, dumps) waiting for their replies, by xid. */
    private final PendingStats stats = new PendingStats();
    private final AtomicLong dumps = new AtomicLong();
    private volatile String datapathId = "";
    private volatile long handshakeDeadline;
    private volatile String notAdmitted = "no features reply";
    private volatile ScheduledFuture<?> expiry;

    private record Sent(FlowMod mod, List<OpenFlowException.Rejection> errors) {
    }

    OfjSwitch(ConnectionAdapter connection, SwitchListener listener, int maxInFlight, Handshake handshake) {
        this.connection = connection;
        this.listener = listener;
        this.handshake = handshake;
        this.inFlight = new Semaphore(maxInFlight);
    }

    long nextXid() {
        return xids.getAndIncrement() & 0xffffffffL;
    }

    ConnectionAdapter connection() {
        return connection;
    }

    static String hex(long datapathId) {
        return String.format("%016x", datapathId);
    }

    /**
     * openflowjava calls this (through the callbacks executor) once the TCP connection is
     * accepted: sends hello and the features request and returns; the reply continues in
     * {@link #onFeatures}, the deadline in {@link #expire}.
     */
    @Override
    public void onConnectionReady() {
        handshakeDeadline = System.nanoTime() + handshake.timeout().toNanos();
        try {
            expiry = handshake.timer().schedule(this::expire, handshake.timeout().toNanos(), TimeUnit.NANOSECONDS);
            connection.hello(new HelloInputBuilder().setVersion(FlowMods.OF13).setXid(xid()).build());
            var features = connection.getFeatures(new GetFeaturesInputBuilder().setVersion(FlowMods.OF13)
                    .setXid(xid()).build());
            features.addListener(() -> onFeatures(features), handshake.callbacks());
        } catch (RuntimeException e) {
            refuse("handshake failed: " + e);
        }
    }

    private void onFeatures(java.util.concurrent.Future<RpcResult<GetFeaturesOutput>> reply) {
        RpcResult<GetFeaturesOutput> features;
        try {
            features = reply.get();
        } catch (Exception e) {
            refuse("features request failed: " + e);
            return;
        }
        if (!features.isSuccessful() || features.getResult() == null) {
            refuse("features request failed: " + features.getErrors());
            return;
        }
        long dpid = features.getResult().getDatapathId().longValue();
        datapathId = hex(dpid);
        admit(dpid);
    }

    /** Takes the controller's slot, or tries again shortly until the handshake deadline. */
    private void admit(long dpid) {
        if (state.get() != State.HANDSHAKE) {
            return;
        }
        Optional<String> refusal = handshake.admission().tryAdmit(this, dpid);
        if (refusal.isPresent()) {
            notAdmitted = refusal.get();
            if (System.nanoTime() + ADMISSION_RETRY.toNanos() < handshakeDeadline) {
                later(() -> admit(dpid));
            }
            return;
        }
        if (!state.compareAndSet(State.HANDSHAKE, State.ADMITTED)) {
            handshake.admission().release(this);
            return;
        }
        cancelExpiry();
        LOG.info("switch " + datapathId + " connected from " + connection.getRemoteAddress());
        listener.connected(this);
    }

    private void later(Runnable task) {
        try {
            handshake.timer().schedule(() -> handshake.callbacks().execute(task),
                    ADMISSION_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the controller is closing; the connection goes with it
        }
    }

    /** The handshake deadline passed: a connection still not admitted is closed. */
    private void expire() {
        refuse("not admitted within " + handshake.timeout().toMillis() + " ms: " + notAdmitted);
    }

    /** Closes a connection that was not admitted, with one log line. Idempotent. */
    private void refuse(String reason) {
        if (!state.compareAndSet(State.HANDSHAKE, State.CLOSED)) {
            return;
        }
        cancelExpiry();
        LOG.warning("refused OpenFlow connection from " + connection.getRemoteAddress() + " (datapath id "
                + (datapathId.isEmpty() ? "unknown" : datapathId) + "): " + reason);
        connection.disconnect();
    }

    private void cancelExpiry() {
        ScheduledFuture<?> e = expiry;
        if (e != null) {
            e.cancel(false);
        }
    }

    /** Ends the session from our side (a switch that does not answer echo). Idempotent. */
    void drop(String reason) {
        LOG.warning("dropping switch " + datapathId + ": " + reason);
        connection.disconnect();
        // openflowjava reports no disconnect event for a connection we closed ourselves
        onDisconnected();
    }

    /** Not closed and its TCP connection still open (also during the handshake). */
    boolean alive() {
        return state.get() != State.CLOSED && connection.isAlive();
    }

    boolean admitted() {
        return state.get() == State.ADMITTED;
    }

    private Uint32 xid() {
        return Uint32.valueOf(nextXid());
    }

    /** An error from the switch: charged to the mod with its xid, or logged when none is waiting. */
    void onError(ErrorMessage error) {
        Sent s = error.getXid() == null ? null : outstanding.get(error.getXid().toJava());
        String text = error.getTypeString() + "/" + error.getCodeString();
        if (s == null) {
            if (!admitted() || (error.getXid() != null && stats.fail(error.getXid().toJava(), text))) {
                return;
            }
            LOG.warning("OpenFlow error from " + datapathId + " for xid " + error.getXid() + ": " + text);
            return;
        }
        s.errors().add(new OpenFlowException.Rejection(s.mod(), error.getType().toJava(),
                error.getCode().toJava(), text));
    }

    /** A multipart reply: goes to the count or dump request with its xid, if any. */
    void onMultipartReply(org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartReplyMessage reply) {
        stats.onReply(reply);
    }

    /** The connection ended (or was found ended): frees the slot and tells the listener. Idempotent. */
    void onDisconnected() {
        State was = state.getAndSet(State.CLOSED);
        if (was == State.CLOSED) {
            return;
        }
        cancelExpiry();
        stats.failAll("switch " + datapathId + " disconnected");
        if (was == State.ADMITTED) {
            handshake.admission().release(this);
            LOG.info("switch " + datapathId + " disconnected");
            listener.disconnected(this);
        }
    }

    @Override
    public String datapathId() {
        return datapathId;
    }

    @Override
    public boolean connected() {
        return admitted() && connection.isAlive();
    }

    @Override
    public long messagesSent() {
        return sent.get();
    }

    @Override
    public long countFlows(dev.linen.ovs.flow.Cookie value, dev.linen.ovs.flow.Cookie mask, Duration timeout) {
        requireConnected();
        long xid = nextXid();
        var reply = stats.count(xid);
        try {
            connection.multipartRequest(Aggregates.request(value, mask, xid));
            sent.incrementAndGet();
            return PendingStats.await(reply, timeout, "aggregate statistics from " + datapathId);
        } finally {
            stats.forget(xid);
        }
    }

    @Override
    public List<dev.linen.ovs.openflow.InstalledFlow> dumpFlows(Duration timeout) {
        requireConnected();
        long xid = nextXid();
        var reply = stats.dump(xid);
        try {
            connection.multipartRequest(FlowDumps.request(xid));
            dumps.incrementAndGet();
            return FlowDumps.installed(PendingStats.await(reply, timeout, "flow statistics from " + datapathId));
        } finally {
            stats.forget(xid);
        }
    }

    @Override
    public long dumpsSent() {
        return dumps.get();
    }

    @Override
    public void apply(List<FlowMod> mods, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<OpenFlowException.Rejection> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int from = 0; from < mods.size(); from += BATCH) {
            List<FlowMod> batch = mods.subList(from, Math.min(mods.size(), from + BATCH));
            acquire(batch.size(), deadline);
            try {
                sendBatch(batch, errors, deadline);
            } finally {
                inFlight.release(batch.size());
            }
        }
        if (!errors.isEmpty()) {
            throw new OpenFlowException.Rejected(errors);
        }
    }

    private void acquire(int permits, long deadline) {
        try {
            if (!inFlight.tryAcquire(permits, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new OpenFlowException.Timeout("too many unacknowledged flow mods to " + datapathId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenFlowException.Disconnected("interrupted", e);
        }
    }

    private void sendBatch(List<FlowMod> batch, List<OpenFlowException.Rejection> errors, long deadline) {
        requireConnected();
        List<Long> ids = new ArrayList<>(batch.size());
        try {
            for (FlowMod mod : batch) {
                long xid = nextXid();
                ids.add(xid);
                outstanding.put(xid, new Sent(mod, errors));
                connection.flowMod(FlowMods.of(mod, xid));
                sent.incrementAndGet();
            }
            barrier(deadline);
        } finally {
            ids.forEach(outstanding::remove);
        }
    }

    /** Sends a barrier and waits for its reply; errors for earlier xids arrive before it. */
    private void barrier(long deadline) {
        var reply = connection.barrier(new BarrierInputBuilder().setVersion(FlowMods.OF13).setXid(xid()).build());
        sent.incrementAndGet();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                reply.cancel(false);
                throw new OpenFlowException.Timeout("no barrier reply from " + datapathId);
            }
            try {
                var result = reply.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (!result.isSuccessful()) {
                    throw new OpenFlowException.Disconnected("barrier failed: " + result.getErrors(), null);
                }
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                requireConnected();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpenFlowException.Disconnected("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new OpenFlowException.Disconnected("barrier to " + datapathId + " failed", e.getCause());
            }
        }
    }

    private void requireConnected() {
        if (!connected()) {
            throw new OpenFlowException.Disconnected("switch " + datapathId + " is not connected", null);
        }
    }
}
