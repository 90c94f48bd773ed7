package dev.linen.ovs.openflow;

import java.net.InetSocketAddress;

/** Our OpenFlow controller endpoint: it listens, switches connect to it. */
public interface OpenFlowController extends AutoCloseable {

    /** The address it listens on (the port is the bound one, also when 0 was asked for). */
    InetSocketAddress address();

    /** Stops listening and closes every switch connection. Idempotent. */
    @Override
    void close();
}
