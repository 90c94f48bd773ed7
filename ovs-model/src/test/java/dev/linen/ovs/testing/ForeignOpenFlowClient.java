package dev.linen.ovs.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A local process that is not the bridge but connects to the controller as if it were: a plain
 * socket speaking just enough OpenFlow 1.3, written by hand. Claiming a datapath id, it says hello
 * and answers features and echo requests like a switch; claiming none, it never sends a byte.
 * Every message the controller sends is recorded by type, until the controller closes the
 * connection (or {@link #close}).
 */
public final class ForeignOpenFlowClient implements AutoCloseable {
    public static final int HELLO = 0;
    public static final int ECHO_REQUEST = 2;
    public static final int FEATURES_REQUEST = 5;
    public static final int FLOW_MOD = 14;
    private static final int OF13 = 4;
    private static final int ECHO_REPLY = 3;
    private static final int FEATURES_REPLY = 6;
    /** Bounds the reader thread even when nobody closes the connection. */
    private static final int READ_LIMIT_MS = 60_000;

    private final Socket socket;
    private final OptionalLong claimed;
    private final long connectedAt = System.nanoTime();
    private final List<Integer> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long closedAt;

    private ForeignOpenFlowClient(Socket socket, OptionalLong claimed) {
        this.socket = socket;
        this.claimed = claimed;
    }

    /** Connects; {@code claimed} is the datapath id it answers a features request with, or none: silent. */
    public static ForeignOpenFlowClient connect(InetSocketAddress controller, OptionalLong claimed) throws IOException {
        Socket s = new Socket();
        s.connect(controller, 5_000);
        s.setSoTimeout(READ_LIMIT_MS);
        ForeignOpenFlowClient c = new ForeignOpenFlowClient(s, claimed);
        if (claimed.isPresent()) {
            c.send(header(HELLO, 8, 1).array());
        }
        Thread.ofPlatform().name("foreign-openflow-client").daemon().start(c::readUntilClosed);
        return c;
    }

    private void readUntilClosed() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                byte[] head = in.readNBytes(8);
                if (head.length < 8) {
                    throw new EOFException();
                }
                ByteBuffer h = ByteBuffer.wrap(head);
                int type = head[1] & 0xff;
                int length = h.getShort(2) & 0xffff;
                int xid = h.getInt(4);
                byte[] body = in.readNBytes(Math.max(0, length - 8));
                received.add(type);
                answer(type, xid, body);
            }
        } catch (IOException e) {
            // the controller closed the connection (or we did)
        } finally {
            closedAt = System.nanoTime();
            closed.countDown();
        }
    }

    private void answer(int type, int xid, byte[] body) throws IOException {
        if (claimed.isEmpty()) {
            return;
        }
        if (type == FEATURES_REQUEST) {
            // datapath id, n_buffers, n_tables, auxiliary id, 2 pad, capabilities, reserved
            ByteBuffer b = header(FEATURES_REPLY, 32, xid);
            b.putLong(8, claimed.getAsLong()).putInt(16, 0).put(20, (byte) 254).putInt(24, 0x4f).putInt(28, 0);
            send(b.array());
        } else if (type == ECHO_REQUEST) {
            ByteBuffer b = header(ECHO_REPLY, 8 + body.length, xid);
            b.put(8, body);
            send(b.array());
        }
    }

    private static ByteBuffer header(int type, int length, int xid) {
        return ByteBuffer.allocate(length).put(0, (byte) OF13).put(1, (byte) type)
                .putShort(2, (short) length).putInt(4, xid);
    }

    private synchronized void send(byte[] message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(message);
        out.flush();
    }

    /** The message types the controller has sent so far, in order. */
    public List<Integer> received() {
        return List.copyOf(received);
    }

    /** Whether the connection has ended. */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Waits until the controller has closed the connection and returns how long it was open.
     *
     * @throws AssertionError if it is still open after {@code timeout}
     */
    public Duration awaitClosed(Duration timeout) throws InterruptedException {
        if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the controller kept the connection open for more than " + timeout
                    + "; it sent " + received());
        }
        return Duration.ofNanos(closedAt - connectedAt);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
