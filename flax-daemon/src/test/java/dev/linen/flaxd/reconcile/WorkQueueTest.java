package dev.linen.flaxd.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    @Test
    void aKeyQueuedTwiceIsTakenOnce() throws Exception {
        WorkQueue q = new WorkQueue(Duration.ofMillis(10), Duration.ofSeconds(1));
        q.add("a");
        q.add("a");
        q.add("b");
        assertEquals(Optional.of("a"), q.take(Duration.ofSeconds(1)));
        assertEquals(List.of("b"), q.drainDue());
        assertEquals(0, q.size());
        assertEquals(Optional.empty(), q.take(Duration.ofMillis(20)));
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCap() {
        WorkQueue q = new WorkQueue(Duration.ofMillis(100), Duration.ofMillis(350));
        assertEquals(Duration.ofMillis(100), q.retry("k"));
        q.drainDue();
        assertEquals(Duration.ofMillis(200), q.retry("k"));
        assertEquals(Duration.ofMillis(350), q.retry("k"), "capped");
        q.forget("k");
        assertEquals(Duration.ofMillis(100), q.retry("k"), "success resets the backoff");
    }

    @Test
    void aRetriedKeyIsNotDueBeforeItsDelay() throws Exception {
        WorkQueue q = new WorkQueue(Duration.ofMillis(300), Duration.ofSeconds(1));
        q.retry("slow");
        assertTrue(q.drainDue().isEmpty());
        assertEquals(Optional.of("slow"), q.take(Duration.ofSeconds(2)));
    }
}
