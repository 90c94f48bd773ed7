package dev.linen.ovs.openflow.odl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.openflow.OpenFlowException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A statistics request the switch answers with an OpenFlow error fails at once, not at its timeout. */
class PendingStatsTest {
    @Test
    void anErrorForADumpOrACountFailsThatRequestOnly() {
        PendingStats stats = new PendingStats();
        var dump = stats.dump(7);
        var count = stats.count(8);
        var other = stats.count(9);
        assertTrue(stats.fail(7, "OFPET_BAD_REQUEST/OFPBRC_BAD_STAT"));
        assertTrue(stats.fail(8, "OFPET_BAD_REQUEST/OFPBRC_BAD_TABLE_ID"));
        assertFalse(stats.fail(7, "again"), "already answered");
        assertFalse(stats.fail(42, "not ours"));
        OpenFlowException.Refused e = assertThrows(OpenFlowException.Refused.class,
                () -> PendingStats.await(dump, Duration.ofSeconds(5), "flow statistics"));
        assertEquals("the switch answered with OpenFlow error OFPET_BAD_REQUEST/OFPBRC_BAD_STAT", e.getMessage());
        assertThrows(OpenFlowException.Refused.class, () -> PendingStats.await(count, Duration.ofSeconds(5), "count"));
        assertFalse(other.isDone(), "the other request still waits");
    }
}
