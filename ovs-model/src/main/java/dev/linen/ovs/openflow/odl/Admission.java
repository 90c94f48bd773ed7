package dev.linen.ovs.openflow.odl;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The controller's one switch slot: a switch is admitted only when its datapath id is the expected
 * one, its socket belongs to the expected user, and no other admitted switch is still connected.
 * Thread-safe.
 */
final class Admission {
    private final Supplier<OptionalLong> expected;
    private final Supplier<OptionalInt> expectedUid;
    private final Function<InetSocketAddress, OptionalInt> peerUid;
    /** The admitted switch, until it is released; guarded by {@code this}. */
    private OfjSwitch holder;

    /**
     * @param expected    the bridge's datapath id, when known
     * @param expectedUid the user the switch's socket must belong to, when known
     * @param peerUid     the owner of the socket at a peer address connected to us; empty when unknown
     */
    Admission(Supplier<OptionalLong> expected, Supplier<OptionalInt> expectedUid,
              Function<InetSocketAddress, OptionalInt> peerUid) {
        this.expected = Objects.requireNonNull(expected, "expected");
        this.expectedUid = Objects.requireNonNull(expectedUid, "expectedUid");
        this.peerUid = Objects.requireNonNull(peerUid, "peerUid");
    }

    /**
     * Gives the slot to {@code candidate} if it may have it: empty when it took the slot, else why
     * not. An earlier holder whose connection has ended without our noticing is told it is gone
     * (so its listener hears of it before the candidate's). May block in the supplier (an OVSDB
     * read), never while holding the slot's lock.
     */
    Optional<String> tryAdmit(OfjSwitch candidate, long datapathId) {
        OptionalLong want;
        try {
            want = expected.get();
        } catch (RuntimeException e) {
            return Optional.of("the bridge's datapath id cannot be read: " + e.getMessage());
        }
        if (want.isEmpty()) {
            return Optional.of("the bridge's datapath id is not known yet");
        }
        if (want.getAsLong() != datapathId) {
            return Optional.of("not the bridge, whose datapath id is " + OfjSwitch.hex(want.getAsLong()));
        }
        Optional<String> foreignUser = ownerRefusal(candidate.connection().getRemoteAddress());
        if (foreignUser.isPresent()) {
            return foreignUser;
        }
        OfjSwitch stale;
        synchronized (this) {
            if (holder != null && holder.alive()) {
                return Optional.of("switch " + holder.datapathId() + " is already connected from "
                        + holder.connection().getRemoteAddress());
            }
            stale = holder;
            holder = candidate;
        }
        if (stale != null) {
            stale.onDisconnected();
        }
        return Optional.empty();
    }

    /** Why the socket at {@code peer} is not the switch's user's, or empty when it is. */
    private Optional<String> ownerRefusal(InetSocketAddress peer) {
        OptionalInt uid;
        OptionalInt want;
        try {
            uid = peer == null ? OptionalInt.empty() : peerUid.apply(peer);
            want = expectedUid.get();
        } catch (RuntimeException e) {
            return Optional.of("the peer socket's owner cannot be read: " + e.getMessage());
        }
        if (uid.isEmpty()) {
            return Optional.of("the peer socket is not in this host's socket tables, its owner is unknown");
        }
        if (want.isEmpty()) {
            return Optional.of("ovs-vswitchd's user is not known yet");
        }
        if (uid.getAsInt() != want.getAsInt()) {
            return Optional.of("peer socket belongs to uid " + uid.getAsInt() + ", not " + want.getAsInt()
                    + " (ovs-vswitchd's)");
        }
        return Optional.empty();
    }

    /** Frees the slot if {@code sw} holds it. Idempotent. */
    synchronized void release(OfjSwitch sw) {
        if (holder == sw) {
            holder = null;
        }
    }
}
