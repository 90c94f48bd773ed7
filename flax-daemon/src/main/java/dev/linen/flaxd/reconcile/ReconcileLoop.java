package dev.linen.flaxd.reconcile;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that reconciles: it takes keys from the {@link WorkQueue}, runs the reconciler,
 * and on failure puts the key back with backoff. The reconciler compares the whole desired state
 * with the actual one, so keys due together are answered by one round (a burst of 1000 Node events
 * is one reconcile, not 1000). Start and stop once each, in that order.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final WorkQueue queue;
    private final Consumer<String> reconciler;
    private final Thread thread;
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    public ReconcileLoop(WorkQueue queue, Consumer<String> reconciler) {
        this.queue = queue;
        this.reconciler = reconciler;
        this.thread = Thread.ofPlatform().name("flaxd-reconcile").daemon().unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Optional<String> key = queue.take(POLL);
                if (key.isPresent()) {
                    // the reconciler looks at the whole state, so one round answers every due key
                    for (String covered : queue.drainDue()) {
                        queue.forget(covered);
                    }
                    reconcileOne(key.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void reconcileOne(String key) {
        try {
            reconciler.accept(key);
            queue.forget(key);
            successes.incrementAndGet();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            Duration delay = queue.retry(key);
            LOG.log(Level.WARNING, "reconcile of " + key + " failed, retrying in " + delay.toMillis() + " ms: " + e);
        }
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public long successes() {
        return successes.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Stops the loop and waits (bounded) for the running reconcile to finish. Idempotent. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
