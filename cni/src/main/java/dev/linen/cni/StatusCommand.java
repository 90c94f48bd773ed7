package dev.linen.cni;

import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/** STATUS (CNI 1.1.0): ready when the OVSDB server accepts connections. Read-only. */
final class StatusCommand {
    private StatusCommand() {
    }

    static void status(NetConf conf) throws CniException {
        OvsdbEndpoint ep = conf.ovs().ovsdb();
        SocketAddress addr = switch (ep) {
            case OvsdbEndpoint.UnixSocket u -> UnixDomainSocketAddress.of(u.path());
            case OvsdbEndpoint.Tcp t -> new InetSocketAddress(t.host(), t.port());
        };
        try (SocketChannel ch = ep instanceof OvsdbEndpoint.UnixSocket
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            ch.connect(addr);
        } catch (IOException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "OVSDB is not available at " + ep, e.toString());
        }
    }
}
