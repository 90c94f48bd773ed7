package dev.linen.ovs.openflow.odl;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The controller's one switch slot: a switch is admitted only when its datapath id is the expected
 * one and no other admitted switch is still connected. Thread-safe.
 */
final class Admission {
    private final Supplier<OptionalLong> expected;
    /** The admitted switch, until it is released; guarded by {@code this}. */
    private OfjSwitch holder;

    Admission(Supplier<OptionalLong> expected) {
        this.expected = expected;
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

    /** Frees the slot if {@code sw} holds it. Idempotent. */
    synchronized void release(OfjSwitch sw) {
        if (holder == sw) {
            holder = null;
        }
    }
}
