package dev.linen.ovs.openflow;

import java.time.Duration;
import java.util.List;

/** One switch (bridge) connected to our controller, after the OpenFlow 1.3 handshake. */
public interface FlowSwitch {

    /** The datapath id, as 16 hex digits (what {@code ovs-ofctl show} prints). */
    String datapathId();

    /** False once the connection has ended; a reconnecting switch is a new {@code FlowSwitch}. */
    boolean connected();

    /**
     * Sends the mods in order, each batch followed by a barrier, and waits until the switch has
     * processed all of them. Not all-or-nothing: mods the switch accepted stay applied when others
     * are rejected ({@link OpenFlowException.Rejected} names each rejected mod and its error).
     * Thread-safe; concurrent calls interleave batches but each waits for its own barriers. At most
     * a bounded number of mods is unacknowledged at any time (backpressure): a caller sending a
     * large burst waits for the switch instead of queueing without limit.
     *
     * @throws OpenFlowException.Disconnected if the connection is or goes down
     * @throws OpenFlowException.Timeout      if a barrier is not answered within {@code timeout}
     */
    void apply(List<FlowMod> mods, Duration timeout);

    /**
     * The number of flows, in all tables, whose cookie under {@code mask} equals {@code value}
     * (a zero mask counts every flow), from the switch's aggregate statistics. Read-only.
     *
     * @throws OpenFlowException.Disconnected if the connection is or goes down
     * @throws OpenFlowException.Timeout      if the switch does not answer within {@code timeout}
     */
    long countFlows(dev.linen.ovs.flow.Cookie value, dev.linen.ovs.flow.Cookie mask, Duration timeout);

    /**
     * Every flow of every table, read back from the switch over this connection (an OpenFlow flow
     * statistics request for all tables, any out port and group, every cookie), in the order the
     * switch reports them; a reply the switch splits into several parts is followed to its last
     * part. Each flow is one {@link InstalledFlow}; fields or actions the model does not know are
     * named in its text, never dropped and never an exception. Read-only; thread-safe (concurrent
     * dumps are independent requests). The request is counted in {@link #dumpsSent()}, not in
     * {@link #messagesSent()}.
     *
     * @throws OpenFlowException.Disconnected if the connection is or goes down
     * @throws OpenFlowException.Timeout      if the last part of the reply does not arrive within
     *                                        {@code timeout}
     */
    List<InstalledFlow> dumpFlows(Duration timeout);

    /**
     * OpenFlow messages sent to this switch so far (flow mods, barriers, aggregate statistics
     * requests); flow dumps are not counted here but in {@link #dumpsSent()}.
     */
    long messagesSent();

    /** Flow dump requests ({@link #dumpFlows}) sent to this switch so far. */
    long dumpsSent();
}
