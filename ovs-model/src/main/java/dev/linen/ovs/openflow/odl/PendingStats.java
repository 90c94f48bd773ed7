package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.openflow.OpenFlowException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.MultipartReplyMessage;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.protocol.rev130731.multipart.reply.multipart.reply.body.multipart.reply.flow._case.multipart.reply.flow.FlowStats;

/**
 * Statistics requests of one switch waiting for their multipart replies, by xid: aggregate counts
 * (one part) and flow dumps (parts until the one without REPLY_MORE).
 */
final class PendingStats {
    private final Map<Long, CompletableFuture<Long>> counts = new ConcurrentHashMap<>();
    private final Map<Long, FlowDumps.Parts> dumps = new ConcurrentHashMap<>();

    CompletableFuture<Long> count(long xid) {
        var reply = new CompletableFuture<Long>();
        counts.put(xid, reply);
        return reply;
    }

    CompletableFuture<List<FlowStats>> dump(long xid) {
        var parts = new FlowDumps.Parts();
        dumps.put(xid, parts);
        return parts.done();
    }

    void forget(long xid) {
        counts.remove(xid);
        dumps.remove(xid);
    }

    /** A multipart reply: completes the count with its xid, or adds a part to the dump with it. */
    void onReply(MultipartReplyMessage reply) {
        if (reply.getXid() == null) {
            return;
        }
        long xid = reply.getXid().toJava();
        var count = counts.remove(xid);
        if (count != null) {
            Aggregates.flowCount(reply).ifPresentOrElse(count::complete, () -> count.completeExceptionally(
                    new OpenFlowException.Disconnected("unexpected multipart reply " + reply.getType(), null)));
            return;
        }
        var parts = dumps.get(xid);
        if (parts != null && parts.add(reply)) {
            dumps.remove(xid);
        }
    }

    /**
     * The switch answered request {@code xid} with an OpenFlow error: that request fails now
     * instead of at its timeout. True when a request of ours had that xid.
     */
    boolean fail(long xid, String error) {
        var count = counts.remove(xid);
        var parts = dumps.remove(xid);
        String why = "the switch answered with OpenFlow error " + error;
        if (count != null) {
            count.completeExceptionally(new OpenFlowException.Refused(why));
        }
        if (parts != null) {
            parts.done().completeExceptionally(new OpenFlowException.Refused(why));
        }
        return count != null || parts != null;
    }

    /** The connection ended: every waiting request fails. */
    void failAll(String why) {
        counts.values().forEach(f -> f.completeExceptionally(new OpenFlowException.Disconnected(why, null)));
        dumps.values().forEach(p -> p.done().completeExceptionally(new OpenFlowException.Disconnected(why, null)));
    }

    /** Waits for a reply; a timeout, failure or interrupt is the matching {@link OpenFlowException}. */
    static <T> T await(CompletableFuture<T> reply, Duration timeout, String what) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OpenFlowException.Timeout("no " + what);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof OpenFlowException o ? o
                    : new OpenFlowException.Disconnected(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenFlowException.Disconnected("interrupted", e);
        }
    }
}
