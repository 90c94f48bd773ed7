package dev.linen.cni;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * STATUS (CNI 1.1.0): ready when the OVSDB server answers an OVSDB {@code echo} within
 * {@link #TIMEOUT} (connecting included), so that neither an endpoint that drops the connection
 * attempt nor one that accepts and stays silent can hold the runtime. Read-only.
 */
final class StatusCommand {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String ECHO_ID = "linen-status";

    private StatusCommand() {
    }

    static void status(NetConf conf) throws CniException {
        OvsdbEndpoint ep = conf.ovs().ovsdb();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (SocketChannel ch = ep instanceof OvsdbEndpoint.UnixSocket
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
             Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(address(ep))) {
                await(ch, selector, SelectionKey.OP_CONNECT, deadline, ep);
                ch.finishConnect();
            }
            send(ch, selector, deadline, ep);
            requireEchoReply(receive(ch, selector, deadline, ep), ep);
        } catch (IOException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "OVSDB is not available at " + ep, e.toString());
        }
    }

    private static SocketAddress address(OvsdbEndpoint ep) {
        return switch (ep) {
            case OvsdbEndpoint.UnixSocket u -> UnixDomainSocketAddress.of(u.path());
            case OvsdbEndpoint.Tcp t -> new InetSocketAddress(t.host(), t.port());
        };
    }

    private static void send(SocketChannel ch, Selector selector, long deadline, OvsdbEndpoint ep)
            throws IOException, CniException {
        String echo = "{\"id\":\"" + ECHO_ID + "\",\"method\":\"echo\",\"params\":[]}";
        ByteBuffer buf = ByteBuffer.wrap(echo.getBytes(Json.UTF_8));
        while (buf.hasRemaining()) {
            if (ch.write(buf) == 0) {
                await(ch, selector, SelectionKey.OP_WRITE, deadline, ep);
            }
        }
    }

    /** Reads until the bytes form one JSON object (the reply), the peer closes, or the deadline. */
    private static JObject receive(SocketChannel ch, Selector selector, long deadline, OvsdbEndpoint ep)
            throws IOException, CniException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (got.size() < 1 << 20) {
            await(ch, selector, SelectionKey.OP_READ, deadline, ep);
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new CniException(CniException.NOT_AVAILABLE, "OVSDB at " + ep + " closed the connection",
                        "no answer to echo");
            }
            got.write(buf.array(), 0, n);
            try {
                if (Json.parse(got.toString(Json.UTF_8)) instanceof JObject reply) {
                    return reply;
                }
            } catch (JsonException e) {
                // not complete yet
            }
        }
        throw new CniException(CniException.NOT_AVAILABLE, "OVSDB at " + ep + " sent no JSON-RPC reply", "");
    }

    private static void requireEchoReply(JObject reply, OvsdbEndpoint ep) throws CniException {
        boolean ok = reply.string("id").orElse("").equals(ECHO_ID) && reply.get("result").isPresent()
                && reply.get("error").orElse(JsonValue.JNull.NULL) == JsonValue.JNull.NULL;
        if (!ok) {
            throw new CniException(CniException.NOT_AVAILABLE, "OVSDB at " + ep + " did not answer echo",
                    Json.write(reply));
        }
    }

    /** Waits until the channel is ready for {@code op}, or fails with code 50 at the deadline. */
    private static void await(SocketChannel ch, Selector selector, int op, long deadline, OvsdbEndpoint ep)
            throws IOException, CniException {
        SelectionKey key = ch.register(selector, op);
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new CniException(CniException.NOT_AVAILABLE, "OVSDB at " + ep + " did not answer",
                        "no answer within " + TIMEOUT.toSeconds() + " s");
            }
            selector.select(left);
            if (key.isValid() && (key.readyOps() & op) != 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }
}
