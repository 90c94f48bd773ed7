package dev.linen.flaxd.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** A Prometheus histogram of durations with flaxd's buckets (1 ms .. 5 s). Thread-safe. */
final class Histogram {
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();

    /** Counts one duration. */
    void observe(long nanos) {
        count.incrementAndGet();
        sumNanos.addAndGet(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                counts.incrementAndGet(i);
            }
        }
    }

    void render(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append(name).append("_bucket{le=\"").append(BUCKETS[i]).append("\"} ").append(counts.get(i)).append('\n');
        }
        sb.append(name).append("_bucket{le=\"+Inf\"} ").append(count.get()).append('\n');
        sb.append(name).append("_sum ").append(sumNanos.get() / 1e9).append('\n');
        sb.append(name).append("_count ").append(count.get()).append('\n');
    }
}
