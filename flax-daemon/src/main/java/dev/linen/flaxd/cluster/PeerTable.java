package dev.linen.flaxd.cluster;

import dev.linen.flaxd.cluster.NodeRules.Verdict;
import dev.linen.flaxd.cluster.Rejection.Reason;
import dev.linen.ovs.flow.Ipv4Prefix;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The peers flaxd programs, kept from the Nodes' verdicts one Node at a time, with the checks that
 * involve several Nodes: a pod CIDR that overlaps this node's or an accepted peer's, or an
 * InternalIP another Node already uses, is rejected; the Node that had it first keeps it (traffic
 * that works is never cut for a newcomer). When a peer goes, Nodes it blocked are checked again.
 * Each update costs O(log N) plus the blocked Nodes, whatever the cluster size. Not thread-safe:
 * the reconcile thread alone uses it.
 */
public final class PeerTable {
    private static final Logger LOG = Logger.getLogger(PeerTable.class.getName());

    /** What an update changed: peers to unprogram and to program (a changed peer is in both). */
    public record Delta(List<Peer> removed, List<Peer> added, boolean selfChanged) {
        public Delta {
            removed = List.copyOf(removed);
            added = List.copyOf(added);
        }

        public boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty() && !selfChanged;
        }
    }

    private final String selfName;
    private Optional<Peer> self = Optional.empty();
    private final Map<String, Peer> accepted = new LinkedHashMap<>();
    /**
     * Usable on their own but clashing with an accepted Node: retried when one goes, in the order
     * they were first seen (oldest first after a full list, arrival order after), so the Node a
     * fresh start would accept is the one accepted, not the first by name.
     */
    private final Map<String, Peer> blocked = new LinkedHashMap<>();
    private final Map<String, Rejection> rejected = new HashMap<>();
    /** Accepted peers kept while their Node is Waiting (see {@link #keepsWhileWaiting}). */
    private final java.util.Set<String> keptWhileWaiting = new java.util.HashSet<>();
    /** The rejection last logged per Node: each is logged once, not on every update. */
    private final Map<String, Rejection> logged = new HashMap<>();
    private final Map<Reason, Long> rejectionsLogged = new EnumMap<>(Reason.class);
    /** Pod CIDR start (unsigned) to the range's owner, for this node and accepted peers. */
    private final TreeMap<Long, Owned> ranges = new TreeMap<>();
    private final Map<String, String> ipOwners = new HashMap<>();

    private record Owned(String node, long end, Ipv4Prefix cidr) {
    }

    public PeerTable(String selfName) {
        this.selfName = selfName;
    }

    /**
     * Takes one Node's new verdict (empty: the Node was deleted) and returns what changed.
     * Idempotent: the same verdict again changes nothing.
     */
    public Delta update(String name, Optional<Verdict> verdict) {
        List<Peer> removed = new ArrayList<>();
        List<Peer> added = new ArrayList<>();
        if (name.equals(selfName)) {
            Optional<Peer> next = verdict.flatMap(PeerTable::usable);
            verdict.ifPresent(v -> noteRejection(name, v));
            if (next.equals(self)) {
                return new Delta(removed, added, false);
            }
            self.ifPresent(this::unindex);
            self = next;
            next.ifPresent(this::index);
            return new Delta(removed, added, true);
        }
        Optional<Peer> before = Optional.ofNullable(accepted.get(name));
        Optional<Peer> candidate = verdict.flatMap(PeerTable::usable);
        if (before.isPresent() && (before.equals(candidate) || keepsWhileWaiting(name, verdict))) {
            return new Delta(removed, added, false);
        }
        keptWhileWaiting.remove(name);
        boolean freed = drop(name, removed);
        if (verdict.isPresent()) {
            place(name, verdict.get(), added);
        } else {
            blocked.remove(name);
            rejected.remove(name);
            logged.remove(name);
        }
        if (freed) {
            retryBlocked(added);
        }
        return new Delta(removed, added, false);
    }

    /**
     * Replaces everything with these verdicts (a complete list of the Nodes), keeping Nodes that
     * were accepted before ahead of newcomers in every clash, and newcomers in the map's order
     * (the caller gives oldest Node first). Returns the difference.
     */
    public Delta replaceAll(Map<String, Verdict> all) {
        Map<String, Peer> old = new LinkedHashMap<>(accepted);
        Optional<Peer> oldSelf = self;
        accepted.clear();
        blocked.clear();
        rejected.clear();
        ranges.clear();
        ipOwners.clear();
        self = Optional.ofNullable(all.get(selfName)).flatMap(PeerTable::usable);
        self.ifPresent(this::index);
        Optional.ofNullable(all.get(selfName)).ifPresent(v -> noteRejection(selfName, v));
        List<String> order = new ArrayList<>();
        old.keySet().stream().filter(all::containsKey).forEach(order::add);
        all.keySet().stream().filter(n -> !old.containsKey(n)).forEach(order::add);
        List<Peer> ignored = new ArrayList<>();
        for (String n : order) {
            if (n.equals(selfName)) {
                continue;
            }
            if (old.containsKey(n) && keepsWhileWaiting(n, Optional.of(all.get(n)))) {
                place(n, new Verdict.Usable(old.get(n)), ignored);
            } else {
                keptWhileWaiting.remove(n);
                place(n, all.get(n), ignored);
            }
        }
        keptWhileWaiting.retainAll(all.keySet());
        logged.keySet().retainAll(rejected.keySet());
        List<Peer> removed = new ArrayList<>();
        List<Peer> added = new ArrayList<>();
        old.forEach((n, p) -> {
            if (!p.equals(accepted.get(n))) {
                removed.add(p);
            }
        });
        accepted.forEach((n, p) -> {
            if (!p.equals(old.get(n))) {
                added.add(p);
            }
        });
        return new Delta(removed, added, !oldSelf.equals(self));
    }

    public Optional<Peer> self() {
        return self;
    }

    /** The accepted peers (a copy). */
    public List<Peer> peers() {
        return List.copyOf(accepted.values());
    }

    /** The accepted peer of that name. */
    public Optional<Peer> peer(String name) {
        return Optional.ofNullable(accepted.get(name));
    }

    public int size() {
        return accepted.size();
    }

    /** Why this node's own Node cannot be used, if it cannot. */
    public Optional<Rejection> selfRejection() {
        return Optional.ofNullable(rejected.get(selfName));
    }

    /** Rejected Nodes by reason, every reason present (0 when none). */
    public Map<Reason, Integer> rejectedByReason() {
        Map<Reason, Integer> out = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            out.put(r, 0);
        }
        rejected.values().forEach(r -> out.merge(r.reason(), 1, Integer::sum));
        return out;
    }

    /** Rejections logged since start, by reason (each Node's rejection counts once until it changes). */
    public Map<Reason, Long> rejectionsLogged() {
        Map<Reason, Long> out = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            out.put(r, rejectionsLogged.getOrDefault(r, 0L));
        }
        return out;
    }

    public Collection<Rejection> rejections() {
        return List.copyOf(rejected.values());
    }

    private static Optional<Peer> usable(Verdict v) {
        return v instanceof Verdict.Usable u ? Optional.of(u.peer()) : Optional.empty();
    }

    /**
     * True when an accepted peer's Node now lacks its pod CIDR or InternalIP (Waiting): that is no
     * new truth about where its pods are, so its tunnel and flows stay until the Node is deleted
     * or says something usable or wrong. Logged once per spell.
     */
    private boolean keepsWhileWaiting(String name, Optional<Verdict> verdict) {
        if (verdict.isEmpty() || !(verdict.get() instanceof Verdict.Waiting)) {
            return false;
        }
        if (keptWhileWaiting.add(name)) {
            LOG.warning("Node " + name + " has lost its pod CIDR or InternalIP: its last good tunnel is kept"
                    + " until the Node is deleted or valid again");
        }
        return true;
    }

    /**
     * Removes the Node from the accepted peers; true when it freed a range or an address. A blocked
     * Node stays in {@link #blocked}, in its place, until {@link #place} decides on it again.
     */
    private boolean drop(String name, List<Peer> removed) {
        Peer p = accepted.remove(name);
        if (p == null) {
            return false;
        }
        unindex(p);
        removed.add(p);
        return true;
    }

    private void place(String name, Verdict v, List<Peer> added) {
        Optional<Rejection> why = v instanceof Verdict.Rejected r ? Optional.of(r.rejection())
                : v instanceof Verdict.Usable u ? clash(u.peer()) : Optional.empty();
        if (why.isPresent()) {
            if (v instanceof Verdict.Usable u) {
                blocked.put(name, u.peer());   // an update keeps the Node's place in the retry order
            } else {
                blocked.remove(name);
            }
            reject(why.get());
            return;
        }
        blocked.remove(name);
        rejected.remove(name);
        logged.remove(name);
        if (!(v instanceof Verdict.Usable u)) {
            return;
        }
        accepted.put(name, u.peer());
        index(u.peer());
        added.add(u.peer());
    }

    private void retryBlocked(List<Peer> added) {
        for (Peer p : List.copyOf(blocked.values())) {
            if (clash(p).isEmpty()) {
                blocked.remove(p.name());
                rejected.remove(p.name());
                logged.remove(p.name());
                accepted.put(p.name(), p);
                index(p);
                added.add(p);
                LOG.info("Node " + p.name() + " no longer clashes with another Node: now a peer");
            }
        }
    }

    private Optional<Rejection> clash(Peer p) {
        String ipOwner = ipOwners.get(p.internalIp());
        if (ipOwner != null && !ipOwner.equals(p.name())) {
            return Optional.of(new Rejection(p.name(), Reason.DUPLICATE_INTERNAL_IP,
                    "InternalIP " + p.internalIp() + " is already Node " + ipOwner + "'s"));
        }
        for (Ipv4Prefix c : p.ipv4PodCidrs()) {
            Optional<Owned> o = overlapping(c);
            if (o.isPresent() && !o.get().node().equals(p.name())) {
                Reason r = o.get().node().equals(selfName) ? Reason.OVERLAPS_LOCAL_POD_CIDR : Reason.OVERLAPS_PEER_POD_CIDR;
                return Optional.of(new Rejection(p.name(), r,
                        "podCIDR " + c + " overlaps " + o.get().cidr() + " of Node " + o.get().node()));
            }
        }
        return Optional.empty();
    }

    /** The indexed range overlapping {@code c}: indexed ranges never overlap each other. */
    private Optional<Owned> overlapping(Ipv4Prefix c) {
        long start = Integer.toUnsignedLong(c.address());
        long end = start + (1L << (32 - c.length())) - 1;
        Map.Entry<Long, Owned> e = ranges.floorEntry(end);
        return e != null && e.getValue().end() >= start ? Optional.of(e.getValue()) : Optional.empty();
    }

    private void index(Peer p) {
        ipOwners.put(p.internalIp(), p.name());
        for (Ipv4Prefix c : p.ipv4PodCidrs()) {
            long start = Integer.toUnsignedLong(c.address());
            ranges.put(start, new Owned(p.name(), start + (1L << (32 - c.length())) - 1, c));
        }
    }

    private void unindex(Peer p) {
        ipOwners.remove(p.internalIp(), p.name());
        for (Ipv4Prefix c : p.ipv4PodCidrs()) {
            Owned o = ranges.get(Integer.toUnsignedLong(c.address()));
            if (o != null && o.node().equals(p.name())) {
                ranges.remove(Integer.toUnsignedLong(c.address()));
            }
        }
    }

    private void noteRejection(String name, Verdict v) {
        if (v instanceof Verdict.Rejected r) {
            reject(r.rejection());
        } else {
            rejected.remove(name);
            logged.remove(name);
        }
    }

    /** Records the rejection; logs it when it is new or its reason changed (not on every update). */
    private void reject(Rejection r) {
        rejected.put(r.node(), r);
        if (!r.equals(logged.put(r.node(), r))) {
            rejectionsLogged.merge(r.reason(), 1L, Long::sum);
            LOG.warning(r.describe());
        }
    }
}
