package dev.linen.flaxd.bridge;

import dev.linen.flaxd.http.Metrics;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The node's OVS bridge and the OVSDB session it is kept through. Desired: the bridge exists with
 * flaxd's spec (datapath type, fail mode, protocols, controller); actual: what OVSDB holds. The
 * spec is ensured whenever a session is opened (flaxd start, ovsdb-server restart), since only
 * then can it differ from what flaxd wrote. Used by the reconcile thread alone; {@link #close} may
 * run on another thread after that thread stopped.
 */
public final class BridgeReconciler implements AutoCloseable {
    private static final Duration OVSDB_TIMEOUT = Duration.ofSeconds(10);

    private final OvsdbEndpoint endpoint;
    private final Supplier<BridgeSpec> spec;
    private final Metrics metrics;
    /** The OVSDB session; replaced after a failure (an ovsdb-server restart ends the old one). */
    private volatile OvsDatabase db;
    private long sessions;

    /** {@code spec} is asked each time a session opens (the controller's port is known late). */
    public BridgeReconciler(OvsdbEndpoint endpoint, Supplier<BridgeSpec> spec, Metrics metrics) {
        this.endpoint = endpoint;
        this.spec = spec;
        this.metrics = metrics;
    }

    /**
     * The live session, opening one and ensuring the bridge when there is none. Idempotent.
     *
     * @throws dev.linen.ovs.db.OvsdbUnavailableException while OVSDB cannot be reached
     */
    public OvsDatabase session() {
        OvsDatabase current = db;
        return current != null ? current : open(session -> session.ensureBridge(spec.get()));
    }

    /**
     * Opens the session before the Node list is in: creates the bridge when there is none (a new
     * node: nothing to keep), but leaves an existing one exactly as it is (a restart keeps forwarding
     * with what the previous flaxd set, even if this one's spec differs: the first full pass, after
     * the list, makes it match). Call before the reconcile thread starts. Idempotent.
     *
     * @throws dev.linen.ovs.db.OvsdbUnavailableException while OVSDB cannot be reached
     */
    public void openBeforeSync() {
        if (db == null) {
            open(session -> {
                BridgeSpec want = spec.get();
                if (session.bridge(want.name()).isEmpty()) {
                    session.ensureBridge(want);
                }
            });
        }
    }

    /** Connects, runs {@code prepare} on the new session (closed again when it fails), publishes it. */
    private OvsDatabase open(java.util.function.Consumer<OvsDatabase> prepare) {
        OvsDatabase current = OvsDatabases.connect(endpoint, OVSDB_TIMEOUT);
        try {
            prepare.accept(current);
        } catch (RuntimeException e) {
            current.close();
            throw e;
        }
        db = current;
        sessions++;
        metrics.ovsdbConnected(true);
        return current;
    }

    /** Makes the bridge match flaxd's spec again (a full pass). Idempotent; one read when nothing differs. */
    public void ensure(OvsDatabase session) {
        session.ensureBridge(spec.get());
    }

    /** Sessions opened so far: a caller that sees this change knows OVSDB may have lost state. */
    public long sessions() {
        return sessions;
    }

    /** Drops a session that failed; the next {@link #session} opens a new one. Idempotent. */
    public void sessionFailed() {
        OvsDatabase dead = db;
        db = null;
        metrics.ovsdbConnected(false);
        if (dead != null) {
            dead.close();
        }
    }

    /** The live session, if any, without opening one (safe from any thread). */
    public java.util.Optional<OvsDatabase> current() {
        return java.util.Optional.ofNullable(db);
    }

    public boolean connected() {
        return db != null;
    }

    /** Closes the session. Idempotent. */
    @Override
    public void close() {
        OvsDatabase current = db;
        db = null;
        if (current != null) {
            current.close();
        }
    }
}
