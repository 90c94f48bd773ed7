package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * STATUS against a {@code tcp:} OVSDB endpoint that cannot answer is answered with code 50 within
 * its bound (3 s, plus the JVM's start): nobody listening, a listener whose accept queue is full
 * (the connection attempt is dropped, as by an unreachable host), and one that accepts and stays
 * silent. The endpoints are sockets of this test on loopback; the plugin runs in this JVM's
 * network namespace so that it reaches them.
 */
class StatusTimeoutIT {
    /** STATUS's own bound (3 s) and room for a JVM start on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(8);

    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeSockets() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private Proc status(int port) {
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"st\",\"type\":\"linen\",\"ovsdb\":\"tcp:127.0.0.1:" + port
                + "\",\"stateDir\":\"/run/lnt-status-never-made\"}";
        long start = System.nanoTime();
        Proc p = Proc.run(List.of("env", "-i", "CNI_COMMAND=STATUS", Repo.plugin().toString()), Map.of(), conf, 60);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, "STATUS answered in " + took.toMillis() + " ms: " + p.describe());
        return p;
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket s = new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        open.add(s);
        return s;
    }

    @Test
    void nobodyListening() throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = s.getLocalPort();
        s.close();
        assertCniError(status(port), 50);
    }

    /** With its accept queue full, the listener drops new connection attempts: connect hangs. */
    @Test
    void connectionAttemptDropped() throws IOException {
        ServerSocket s = listen(1);
        for (int i = 0; i < 2; i++) {
            Socket c = new Socket();
            open.add(c);
            c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()), 2000);
        }
        requireConnectHangs(s.getLocalPort());
        assertCniError(status(s.getLocalPort()), 50);
    }

    @Test
    void acceptsButNeverAnswers() throws IOException {
        ServerSocket s = listen(50);
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    open.add(s.accept()); // kept open, never written to
                }
            } catch (IOException e) {
                // the socket was closed by the test
            }
        });
        open.add(acceptor::interrupt);
        assertCniError(status(s.getLocalPort()), 50);
    }

    /** The premise of {@link #connectionAttemptDropped}: one more connect does not complete. */
    private void requireConnectHangs(int port) throws IOException {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            throw new AssertionError("the full accept queue still took a connection");
        } catch (java.net.SocketTimeoutException expected) {
            // dropped, as wanted
        }
    }
}
