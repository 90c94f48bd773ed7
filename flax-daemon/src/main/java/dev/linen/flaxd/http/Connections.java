package dev.linen.flaxd.http;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The open connections of one of flaxd's small servers ({@link HealthServer}, {@link LocalApiServer}),
 * kept so that no client can hold the server up: at most {@code max} open, each served on its own
 * virtual thread and closed {@code deadline} after it was accepted, whatever it is doing. Thread-safe.
 *
 * @param <C> a connection (a socket or a socket channel)
 */
final class Connections<C extends Closeable> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Connections.class.getName());

    private final String name;
    private final Duration deadline;
    private final Semaphore slots;
    private final Set<C> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService reaper;
    /** Signalled when a connection is closed and its slot released. */
    private final Object released = new Object();

    /** {@code name} prefixes the threads' names (e.g. flaxd-http). */
    Connections(String name, Duration deadline, int max) {
        this.name = name;
        this.deadline = deadline;
        this.slots = new Semaphore(max);
        this.reaper = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name(name + "-deadline").daemon().unstarted(r));
    }

    /**
     * Runs {@code serve} for {@code conn} on a virtual thread of its own when a slot is free, and
     * closes {@code conn} after it (or at the deadline, whichever comes first); with every slot taken
     * closes {@code conn} at once and returns false. After {@link #close} every connection is closed.
     */
    boolean serve(C conn, Consumer<C> serve) {
        if (!slots.tryAcquire()) {
            closeQuietly(conn);
            return false;
        }
        open.add(conn);
        ScheduledFuture<?> kill;
        try {
            kill = reaper.schedule(() -> closeQuietly(conn), deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            release(conn); // closing
            return true;
        }
        Thread.ofVirtual().name(name + "-connection").start(() -> {
            try {
                serve.accept(conn);
            } finally {
                kill.cancel(false);
                release(conn);
            }
        });
        return true;
    }

    /**
     * For an accept that failed (out of file descriptors), so that it does not spin: waits until one
     * of these connections is closed (which frees a descriptor), 50 ms at most.
     */
    void pause() {
        synchronized (released) {
            try {
                released.wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void release(C conn) {
        closeQuietly(conn);
        open.remove(conn);
        slots.release();
        synchronized (released) {
            released.notifyAll();
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "close", e);
        }
    }

    /** Stops the deadlines and closes every open connection. Idempotent. */
    @Override
    public void close() {
        reaper.shutdownNow();
        open.forEach(Connections::closeQuietly);
    }
}
