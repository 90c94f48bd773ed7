package dev.linen.ovs.openflow.odl;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.opendaylight.openflowjava.protocol.api.connection.ConnectionConfiguration;
import org.opendaylight.openflowjava.protocol.api.connection.ThreadConfiguration;
import org.opendaylight.openflowjava.protocol.api.connection.TlsConfiguration;
import org.opendaylight.yang.gen.v1.urn.opendaylight.openflow.config.rev140630.TransportProtocol;

/** openflowjava's listener settings: plain TCP on one address, no TLS, default threads. */
record OfjConfiguration(InetSocketAddress address, long idleMillis) implements ConnectionConfiguration {
    private static final int OUTBOUND_QUEUE = 1024;

    @Override
    public InetAddress getAddress() {
        return address.getAddress();
    }

    @Override
    public int getPort() {
        return address.getPort();
    }

    @Override
    public Object getTransferProtocol() {
        return TransportProtocol.TCP;
    }

    @Override
    public TlsConfiguration getTlsConfiguration() {
        return null;
    }

    @Override
    public long getSwitchIdleTimeout() {
        return idleMillis;
    }

    @Override
    public Object getSslContext() {
        return null;
    }

    @Override
    public ThreadConfiguration getThreadConfiguration() {
        return null;
    }

    @Override
    public boolean useBarrier() {
        return false;
    }

    @Override
    public boolean isGroupAddModEnabled() {
        return false;
    }

    @Override
    public int getChannelOutboundQueueSize() {
        return OUTBOUND_QUEUE;
    }
}
