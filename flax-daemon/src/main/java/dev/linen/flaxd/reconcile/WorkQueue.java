package dev.linen.flaxd.reconcile;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Keys waiting to be reconciled. A key queued twice before it is taken is reconciled once;
 * {@link #retry} puts a failed key back after an exponential backoff (capped), {@link #forget}
 * resets it. Thread-safe: informer threads add, the one reconcile loop takes.
 */
public final class WorkQueue {
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final DelayQueue<Entry> queue = new DelayQueue<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();

    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    /** Queues the key now, unless it is already waiting. */
    public synchronized void add(String key) {
        if (pending.add(key)) {
            queue.add(new Entry(key, System.nanoTime()));
        }
    }

    /** Queues the key again after its backoff; returns the delay chosen. */
    public synchronized Duration retry(String key) {
        int n = failures.merge(key, 1, Integer::sum);
        long nanos = Math.min(maxDelay.toNanos(), baseDelay.toNanos() << Math.min(n - 1, 20));
        if (pending.add(key)) {
            queue.add(new Entry(key, System.nanoTime() + nanos));
        }
        return Duration.ofNanos(nanos);
    }

    /** The key succeeded: its next failure starts from the base delay again. */
    public synchronized void forget(String key) {
        failures.remove(key);
    }

    /** The next due key, waiting at most {@code timeout}; empty if none came. */
    public Optional<String> take(Duration timeout) throws InterruptedException {
        Entry e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (e == null) {
            return Optional.empty();
        }
        synchronized (this) {
            pending.remove(e.key);
        }
        return Optional.of(e.key);
    }

    /**
     * Takes every key that is due now, without waiting: for a reconciler that handles the whole
     * state in one round, all of them are answered by that round.
     */
    public synchronized java.util.List<String> drainDue() {
        java.util.List<Entry> due = new java.util.ArrayList<>();
        queue.drainTo(due);
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (Entry e : due) {
            pending.remove(e.key);
            keys.add(e.key);
        }
        return keys;
    }

    public synchronized int size() {
        return pending.size();
    }

    private record Entry(String key, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Entry) o).dueNanos);
        }
    }
}
