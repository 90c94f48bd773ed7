package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.pipeline.Pipeline.OwnedFlow;
import dev.linen.ovs.db.BridgeSpec;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.openflow.FlowMod;
import dev.linen.ovs.openflow.FlowSwitch;
import dev.linen.ovs.openflow.OpenFlowException;
import dev.linen.ovs.openflow.SwitchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Keeps the connected bridge's flows equal to the {@link Pipeline}'s. A new connection (flaxd start,
 * OVS restart or reconnect) starts a new round: every flow is written with the new round's cookie
 * (replacing same-match flows in place, so traffic never sees a gap), then earlier rounds are
 * deleted by cookie, and so are flows with no round (not flaxd's: flaxd owns the bridge). Which
 * rounds may still have flows is kept in the bridge's external_ids, so a crash between the two steps
 * is cleaned up by the next round. Within a round only differences are sent, and then the bridge's
 * flow count is checked: a flow deleted or added behind flaxd's back starts a new round. {@link #sync} runs on the reconcile thread only; the listener methods may run on any thread.
 */
public final class FlowProgrammer implements SwitchListener {
    private static final Logger LOG = Logger.getLogger(FlowProgrammer.class.getName());
    static final String ROUND_KEY = "linen-flow-round";
    static final String LIVE_KEY = "linen-flow-rounds-live";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BridgeSpec bridge;
    private final Pipeline pipeline;
    private final Runnable wake;
    private final java.util.function.LongConsumer applied;
    private volatile FlowSwitch connected;
    private FlowSwitch programmed;
    private volatile int round;
    /** Written on the reconcile thread only; read by any (a concurrent map, replaced whole per round). */
    private volatile Map<String, OwnedFlow> installed = new ConcurrentHashMap<>();
    /** Held while a new round replaces {@link #round} and {@link #installed}, and while both are read together. */
    private final Object published = new Object();
    private volatile int roundsCompleted;
    /** {@code vxlan0}'s OpenFlow port the installed flows were computed with (reconcile thread only). */
    private int programmedPort;
    /** See {@link Programmed#edits}. */
    private final java.util.concurrent.atomic.AtomicLong edits = new java.util.concurrent.atomic.AtomicLong();

    /**
     * {@code bridge} names the bridge (name, datapath type); {@code wake} asks for a reconcile;
     * {@code applied} is told how long each batch of flow mods took (with its barrier).
     */
    public FlowProgrammer(BridgeSpec bridge, Pipeline pipeline, Runnable wake, java.util.function.LongConsumer applied) {
        this.applied = applied;
        this.bridge = BridgeSpec.of(bridge.name(), bridge.datapathType());
        this.pipeline = pipeline;
        this.wake = wake;
    }

    @Override
    public void connected(FlowSwitch sw) {
        connected = sw;
        wake.run();
    }

    @Override
    public void disconnected(FlowSwitch sw) {
        if (connected == sw) {
            connected = null;
        }
        wake.run();
    }

    public boolean switchConnected() {
        FlowSwitch sw = connected;
        return sw != null && sw.connected();
    }

    /** Rounds fully installed since start (readiness: at least one). */
    public int roundsCompleted() {
        return roundsCompleted;
    }

    public int flows() {
        return installed.size();
    }

    /**
     * What flaxd has programmed and expects on the bridge: the round (0 before the first) and its
     * flows, each with its peer. A snapshot, safe to call from any thread: never one round's number
     * with another's flows; during a change of peers within a round it may show part of the change.
     */
    public Programmed programmed() {
        synchronized (published) {
            return new Programmed(round, List.copyOf(installed.values()), edits.get());
        }
    }

    /**
     * A snapshot of {@link #programmed()}. {@code edits} counts the changes sent to the switch: odd
     * while one is under way (its flow mods may be on the switch, not yet in {@code flows}); two
     * snapshots with the same even value saw no change in between.
     */
    public record Programmed(int round, List<OwnedFlow> flows, long edits) {
        public Programmed {
            flows = List.copyOf(flows);
        }

        /** True when no change was under way when it was taken. */
        public boolean settled() {
            return edits % 2 == 0;
        }
    }

    /** Runs {@code change} (flow mods and their bookkeeping) with {@link #edits} odd meanwhile. */
    private int editing(java.util.function.IntSupplier change) {
        edits.incrementAndGet();
        try {
            return change.getAsInt();
        } finally {
            edits.incrementAndGet();
        }
    }

    /**
     * Every flow the connected switch holds, read over flaxd's own OpenFlow connection (flow
     * statistics). Read-only; thread-safe. Its requests are not in {@link #messagesSent()}.
     *
     * @throws OpenFlowException.Disconnected when no switch is connected (or it goes)
     * @throws OpenFlowException.Timeout      when the switch does not answer within {@code timeout}
     */
    public List<dev.linen.ovs.openflow.InstalledFlow> dumpFlows(Duration timeout) {
        FlowSwitch sw = connected;
        if (sw == null || !sw.connected()) {
            throw new OpenFlowException.Disconnected("no switch is connected to flaxd", null);
        }
        return sw.dumpFlows(timeout);
    }

    public long messagesSent() {
        FlowSwitch sw = connected;
        return sw == null ? 0 : sw.messagesSent();
    }

    /**
     * Brings the bridge's flows to {@code input}'s pipeline. Idempotent. Returns the number of flow
     * mods sent. With no switch connected it does nothing (the connection wakes the loop).
     *
     * @throws OpenFlowException on a failed apply; the next call starts a new round
     */
    public int sync(OvsDatabase db, PipelineInput input) {
        FlowSwitch sw = connected;
        if (sw == null || !sw.connected()) {
            return 0;
        }
        try {
            return sw != programmed ? newRound(db, sw, input) : update(db, sw, input);
        } catch (RuntimeException e) {
            programmed = null;
            throw e;
        }
    }

    /**
     * Programs a change of peers alone: the removed peers' flows are deleted and the added peers'
     * flows added (a changed peer's flows replaced in place), then one barrier; nothing else is
     * computed or read, so a join costs the same at 5000 peers as at 5. Without a round on the
     * connected switch it falls back to {@link #sync}. Idempotent. Returns the flow mods sent.
     *
     * @param tunnelPort {@code vxlan0}'s OpenFlow port
     * @param whole      the whole desired state after the change (asked only for a new round)
     */
    public int applyPeers(OvsDatabase db, int tunnelPort, java.util.function.Supplier<PipelineInput> whole,
                          List<Peer> removed, List<Peer> added) {
        FlowSwitch sw = connected;
        if (sw == null || !sw.connected()) {
            return 0;
        }
        if (sw != programmed) {
            return sync(db, whole.get());
        }
        Map<String, OwnedFlow> want = new LinkedHashMap<>();
        for (Peer p : added) {
            pipeline.peerFlows(p, tunnelPort, round).forEach(f -> want.put(f.flow().key(), f));
        }
        List<FlowMod> mods = new ArrayList<>();
        for (Peer p : removed) {
            for (OwnedFlow f : pipeline.peerFlows(p, tunnelPort, round)) {
                if (!want.containsKey(f.flow().key()) && installed.containsKey(f.flow().key())) {
                    mods.add(new FlowMod.DeleteStrict(f.flow()));
                }
            }
        }
        for (OwnedFlow f : want.values()) {
            if (!f.equals(installed.get(f.flow().key()))) {
                mods.add(new FlowMod.Add(f.flow()));
            }
        }
        return send(sw, mods, () -> {
            mods.forEach(m -> installed.remove(modKey(m)));
            installed.putAll(want);
        });
    }

    /**
     * The periodic check, O(1) on the wire whatever the cluster size: two aggregate flow counts
     * (flaxd's round, all flows). A bridge that differs from what flaxd installed gets a new round.
     * Without a round on the connected switch it falls back to {@link #sync}. Idempotent.
     */
    public int verify(OvsDatabase db, int tunnelPort, java.util.function.Supplier<PipelineInput> input) {
        FlowSwitch sw = connected;
        if (sw == null || !sw.connected()) {
            return 0;
        }
        try {
            // a recreated or renumbered vxlan0: the flows naming its old port are brought up to date
            if (sw != programmed || tunnelPort != programmedPort) {
                return sync(db, input.get());
            }
            return countsMatch(sw) ? 0 : newRound(db, sw, input.get());
        } catch (RuntimeException e) {
            programmed = null;
            throw e;
        }
    }

    /** One batch and its barrier, timed. */
    private void apply(FlowSwitch sw, List<FlowMod> mods) {
        long start = System.nanoTime();
        sw.apply(mods, TIMEOUT);
        applied.accept(System.nanoTime() - start);
    }

    /** Flows programmed per table of the pipeline (by name, every table present). Thread-safe. */
    public Map<String, Long> flowsByTable() {
        Map<String, Long> out = new LinkedHashMap<>();
        pipeline.tables().forEach(t -> out.put(t.table().name(), 0L));
        for (OwnedFlow f : installed.values()) {
            pipeline.table(f.flow().table()).ifPresent(t -> out.merge(t.table().name(), 1L, Long::sum));
        }
        return out;
    }

    private static String modKey(FlowMod m) {
        return switch (m) {
            case FlowMod.Add a -> a.flow().key();
            case FlowMod.DeleteStrict d -> d.flow().key();
            case FlowMod.DeleteByCookie d -> "";
        };
    }

    /** Applies the mods; on success runs {@code then} (the bookkeeping), on failure forces a new round. */
    private int send(FlowSwitch sw, List<FlowMod> mods, Runnable then) {
        if (mods.isEmpty()) {
            return 0;
        }
        return editing(() -> {
            try {
                apply(sw, mods);
            } catch (RuntimeException e) {
                programmed = null;
                throw e;
            }
            then.run();
            LOG.fine("peer flows changed: " + mods.size());
            return mods.size();
        });
    }

    private int newRound(OvsDatabase db, FlowSwitch sw, PipelineInput input) {
        return editing(() -> installRound(db, sw, input));
    }

    private int installRound(OvsDatabase db, FlowSwitch sw, PipelineInput input) {
        Map<String, String> ids = db.bridge(bridge.name()).map(b -> b.externalIds()).orElse(Map.of());
        Set<Integer> live = new java.util.TreeSet<>(parseRounds(ids.get(LIVE_KEY)));
        int previous = parseRounds(ids.get(ROUND_KEY)).stream().findFirst().orElse(0);
        live.add(previous);
        live.remove(0);
        int next = Cookies.next(previous);
        while (live.contains(next)) {
            next = Cookies.next(next);
        }
        List<Integer> all = new ArrayList<>(live);
        all.add(next);
        writeRounds(db, next, all);
        Map<String, OwnedFlow> want = byKey(pipeline.owned(input, next));
        List<FlowMod> mods = new ArrayList<>();
        want.values().forEach(f -> mods.add(new FlowMod.Add(f.flow())));
        apply(sw, mods);
        List<FlowMod> deletes = new ArrayList<>();
        live.forEach(r -> deletes.add(new FlowMod.DeleteByCookie(Cookies.round(r), Cookies.ROUND_MASK)));
        deletes.add(new FlowMod.DeleteByCookie(Cookies.NO_ROUND, Cookies.ROUND_MASK));
        apply(sw, deletes);
        writeRounds(db, next, List.of(next));
        synchronized (published) {   // the round and its flows change together for programmed()
            round = next;
            installed = new ConcurrentHashMap<>(want);
        }
        programmedPort = input.tunnelPort();
        programmed = sw;
        roundsCompleted++;
        LOG.info("flow round " + next + " installed on " + sw.datapathId() + ": " + want.size()
                + " flows; removed rounds " + live);
        return mods.size() + deletes.size();
    }

    /** Sends the differences; a bridge whose flow count then differs from ours gets a new round. */
    private int update(OvsDatabase db, FlowSwitch sw, PipelineInput input) {
        int sent = sendDifferences(sw, input);
        programmedPort = input.tunnelPort();
        return countsMatch(sw) ? sent : sent + newRound(db, sw, input);
    }

    /** Ours all there (no hand delete) and nothing else there (no hand add): two counts. */
    private boolean countsMatch(FlowSwitch sw) {
        long ours = sw.countFlows(Cookies.round(round), Cookies.ROUND_MASK, TIMEOUT);
        long all = ours == installed.size() ? sw.countFlows(Cookies.NO_ROUND, Cookies.NO_ROUND, TIMEOUT) : -1;
        if (all != installed.size()) {
            LOG.warning("bridge has " + ours + " of flaxd's " + installed.size() + " flows and " + all
                    + " in all: changed behind flaxd's back; starting a new round");
            return false;
        }
        return true;
    }

    private int sendDifferences(FlowSwitch sw, PipelineInput input) {
        Map<String, OwnedFlow> want = byKey(pipeline.owned(input, round));
        List<FlowMod> mods = new ArrayList<>();
        for (OwnedFlow f : want.values()) {
            if (!f.equals(installed.get(f.flow().key()))) {
                mods.add(new FlowMod.Add(f.flow()));
            }
        }
        for (Map.Entry<String, OwnedFlow> e : installed.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                mods.add(new FlowMod.DeleteStrict(e.getValue().flow()));
            }
        }
        if (mods.isEmpty()) {
            installed = new ConcurrentHashMap<>(want);
            return 0;
        }
        return editing(() -> {
            apply(sw, mods);
            LOG.info("flows changed: " + mods.size());
            installed = new ConcurrentHashMap<>(want);
            return mods.size();
        });
    }

    private void writeRounds(OvsDatabase db, int current, List<Integer> live) {
        db.ensureBridge(new BridgeSpec(bridge.name(), bridge.datapathType(), Optional.empty(), Set.of(),
                Map.of(ROUND_KEY, Integer.toString(current), LIVE_KEY,
                        String.join(",", live.stream().map(String::valueOf).toList())), Optional.empty()));
    }

    /** Rounds from "3,4"; anything unparsable or out of range is ignored (it is only a hint). */
    static List<Integer> parseRounds(String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",")) {
            try {
                int r = Integer.parseInt(part.trim());
                if (r >= 1 && r <= Cookies.MAX_ROUND) {
                    out.add(r);
                }
            } catch (NumberFormatException e) {
                // ignored: a hand-edited value
            }
        }
        return out;
    }

    private static Map<String, OwnedFlow> byKey(List<OwnedFlow> flows) {
        Map<String, OwnedFlow> out = new LinkedHashMap<>();
        for (OwnedFlow f : flows) {
            out.put(f.flow().key(), f);
        }
        return out;
    }
}
