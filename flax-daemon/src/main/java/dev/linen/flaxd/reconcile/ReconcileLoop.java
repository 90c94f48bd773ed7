package dev.linen.flaxd.reconcile;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that reconciles: it takes the keys that are due from the {@link WorkQueue} as one
 * batch, runs the reconciler on the batch, and on failure puts the batch's keys back with backoff
 * (the reconciler itself decides what a retry redoes). A burst of 1000 Node events is one
 * reconcile of 1000 keys, not 1000 reconciles. Start and stop once each, in that order.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final WorkQueue queue;
    private final Consumer<Set<String>> reconciler;
    private final Thread thread;
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    public ReconcileLoop(WorkQueue queue, Consumer<Set<String>> reconciler) {
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
                    Set<String> batch = new LinkedHashSet<>();
                    batch.add(key.get());
                    batch.addAll(queue.drainDue());
                    reconcileBatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void reconcileBatch(Set<String> batch) {
        try {
            reconciler.accept(batch);
            batch.forEach(queue::forget);
            successes.incrementAndGet();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            lastFailure = java.util.Optional.of(new Failure(java.time.Instant.now(), String.valueOf(e)));
            Duration delay = Duration.ZERO;
            for (String key : batch) {
                delay = queue.retry(key);
            }
            String what = batch.size() == 1 ? batch.iterator().next() : batch.size() + " keys";
            LOG.log(Level.WARNING, "reconcile of " + what + " failed, retrying in " + delay.toMillis() + " ms: " + e);
        }
    }

    /** A failed reconcile: when, and its exception. */
    public record Failure(java.time.Instant at, String error) {
    }

    private volatile java.util.Optional<Failure> lastFailure = java.util.Optional.empty();

    /** The last failed reconcile (any thread). */
    public java.util.Optional<Failure> lastFailure() {
        return lastFailure;
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
