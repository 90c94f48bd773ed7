package dev.linen.ovs.db.odl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linen.ovs.db.OvsdbConflictException;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.db.OvsdbException;
import dev.linen.ovs.db.OvsdbTransactionException;
import dev.linen.ovs.db.OvsdbUnavailableException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opendaylight.ovsdb.lib.OvsdbConnectionInfo.ConnectionType;
import org.opendaylight.ovsdb.lib.OvsdbConnectionInfo.SocketConnectionType;
import org.opendaylight.ovsdb.lib.impl.OvsdbClientImpl;
import org.opendaylight.ovsdb.lib.jsonrpc.JsonRpcEndpoint;
import org.opendaylight.ovsdb.lib.operations.Operation;
import org.opendaylight.ovsdb.lib.operations.OperationResult;
import org.opendaylight.ovsdb.lib.schema.DatabaseSchema;

/**
 * One JSON-RPC session with an OVSDB server through the OpenDaylight library, on a netty channel
 * we build ourselves: a unix domain socket (NIO, no native library) or plain TCP. Frames are cut by
 * netty's JSON object decoder (the library's own decoder can wedge on strings ending in a
 * backslash). Every wait has a timeout. Thread-safe: transactions may be issued from any thread.
 */
final class OdlSession implements AutoCloseable {
    static final String DATABASE = "Open_vSwitch";
    private static final int MAX_FRAME = 64 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The library cancels every request still unanswered after this many ms (default 1000).
        JsonRpcEndpoint.setReaperInterval(60_000);
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final OvsdbClientImpl client;
    private final DatabaseSchema schema;
    private final Duration timeout;
    private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();

    private OdlSession(EventLoopGroup group, Channel channel, OvsdbClientImpl client, DatabaseSchema schema,
                       Duration timeout) {
        this.group = group;
        this.channel = channel;
        this.client = client;
        this.schema = schema;
        this.timeout = timeout;
    }

    /** Connects and loads the Open_vSwitch schema; {@link OvsdbUnavailableException} if it can't. */
    static OdlSession open(OvsdbEndpoint endpoint, Duration timeout) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, daemonThreads(), NioIoHandler.newFactory());
        try {
            Channel ch = connect(group, endpoint, timeout);
            JsonRpcEndpoint rpc = new JsonRpcEndpoint(ch);
            ch.pipeline().addLast(rpc);
            OvsdbClientImpl client = new OvsdbClientImpl(rpc, ch, ConnectionType.ACTIVE, SocketConnectionType.NON_SSL);
            DatabaseSchema schema = await(client.getSchema(DATABASE), timeout, "get_schema");
            return new OdlSession(group, ch, client, schema, timeout);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e instanceof OvsdbUnavailableException u ? u
                    : new OvsdbUnavailableException("cannot open an OVSDB session at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static Channel connect(EventLoopGroup group, OvsdbEndpoint endpoint, Duration timeout) {
        boolean unix = endpoint instanceof OvsdbEndpoint.UnixSocket;
        SocketAddress address = switch (endpoint) {
            case OvsdbEndpoint.UnixSocket u -> UnixDomainSocketAddress.of(u.path());
            case OvsdbEndpoint.Tcp t -> new InetSocketAddress(t.host(), t.port());
        };
        Bootstrap b = new Bootstrap().group(group)
                .channel(unix ? NioDomainSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new JsonObjectDecoder(MAX_FRAME), new ToJsonNode(),
                                new StringEncoder(StandardCharsets.UTF_8));
                    }
                });
        var future = b.connect(address);
        if (!future.awaitUninterruptibly(timeout.toMillis()) || !future.isSuccess()) {
            future.channel().close();
            Throwable cause = future.cause();
            throw new OvsdbUnavailableException("cannot connect to OVSDB at " + endpoint
                    + (cause == null ? " (timed out)" : ": " + cause.getMessage()), cause);
        }
        return future.channel();
    }

    DatabaseSchema schema() {
        return schema;
    }

    /**
     * Runs the operations as one transaction and returns one result per operation. Any operation
     * error, or a commit error (reported by the server as an extra result), fails the whole call:
     * a constraint violation (a concurrent writer won) as {@link OvsdbConflictException}.
     */
    long transactions() {
        return transactions.get();
    }

    List<OperationResult> transact(List<Operation> ops) {
        transactions.incrementAndGet();
        if (!channel.isActive()) {
            throw new OvsdbUnavailableException("the OVSDB session is closed (did ovsdb-server restart?)");
        }
        List<OperationResult> results = await(client.transact(schema, ops), timeout, "transact");
        for (int i = 0; i < results.size(); i++) {
            OperationResult r = results.get(i);
            if (r != null && r.getError() != null) {
                String what = r.getError() + (r.getDetails() == null ? "" : ": " + r.getDetails())
                        + (i < ops.size() ? " (operation " + i + ", " + ops.get(i).getOp() + ")" : " (commit)");
                if (r.getError().contains("constraint violation") || r.getError().contains("referential integrity")) {
                    throw new OvsdbConflictException(what);
                }
                throw new OvsdbTransactionException(what);
            }
        }
        if (results.size() < ops.size()) {
            throw new OvsdbTransactionException("short transaction reply: " + results.size() + " of " + ops.size());
        }
        return results;
    }

    static <T> T await(Future<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new OvsdbUnavailableException("OVSDB did not answer " + what + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new OvsdbUnavailableException("OVSDB " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvsdbUnavailableException("interrupted waiting for OVSDB " + what, e);
        }
    }

    /** Closes the channel and stops the session's threads. Idempotent. */
    @Override
    public void close() {
        client.disconnect();
        channel.close().awaitUninterruptibly(timeout.toMillis());
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "ovsdb-io");
            t.setDaemon(true);
            return t;
        };
    }

    /** Turns each complete JSON text cut by the frame decoder into a Jackson tree. */
    private static final class ToJsonNode extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws IOException {
            try (ByteBufInputStream in = new ByteBufInputStream(frame)) {
                JsonNode node = JSON.readTree(in);
                out.add(node);
            }
        }
    }
}
