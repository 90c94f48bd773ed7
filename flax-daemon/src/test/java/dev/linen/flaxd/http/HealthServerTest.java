package dev.linen.flaxd.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The health server on loopback against the JDK's HTTP client and raw sockets that send half a
 * request and keep it open: /healthz keeps answering within 1 s, such connections are closed at
 * their deadline, and readiness carries its reason.
 */
class HealthServerTest {
    private static final Duration ANSWER = Duration.ofSeconds(1);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWER).build();
    private final List<Socket> halfOpen = new ArrayList<>();
    private final AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.empty());
    private HealthServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : halfOpen) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
        http.close();
    }

    private HealthServer start(Duration deadline, int maxConnections) throws IOException {
        server = new HealthServer(LOOPBACK, () -> true, notReady::get, new Metrics(), deadline, maxConnections);
        server.start();
        return server;
    }

    private HttpResponse<String> get(String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(ANSWER)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A client that sends part of a request line and then nothing, keeping the connection open. */
    private Socket halfRequest() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        halfOpen.add(s);
        OutputStream out = s.getOutputStream();
        out.write("GET /heal".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private void healthzAnswersWithinASecond(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            var r = get("/healthz");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(200, r.statusCode());
            assertEquals("ok\n", r.body());
            assertTrue(took.compareTo(ANSWER) < 0, "answered in " + took);
        }
    }

    @Test
    void halfSentRequestsDoNotHoldUpHealthz() throws Exception {
        start(HealthServer.CONNECTION_DEADLINE, HealthServer.MAX_CONNECTIONS);
        halfRequest();
        healthzAnswersWithinASecond(5);
        for (int i = 0; i < 19; i++) {
            halfRequest();
        }
        healthzAnswersWithinASecond(5);
    }

    @Test
    void readinessCarriesItsReason() throws Exception {
        start(HealthServer.CONNECTION_DEADLINE, HealthServer.MAX_CONNECTIONS);
        notReady.set(Optional.of("waiting for the first full sync"));
        var r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertEquals("not ready: waiting for the first full sync\n", r.body());
        notReady.set(Optional.empty());
        r = get("/readyz");
        assertEquals(200, r.statusCode());
        assertEquals("ready\n", r.body());
    }

    @Test
    void aHalfSentRequestIsClosedAtItsDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(800);
        start(deadline, HealthServer.MAX_CONNECTIONS);
        Socket s = halfRequest();
        s.setSoTimeout(5_000);
        long start = System.nanoTime();
        InputStream in = s.getInputStream();
        int read;
        try {
            read = in.read();
        } catch (java.net.SocketException e) {
            read = -1; // reset by the server's close: closed all the same
        }
        Duration open = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(-1, read, "closed without an answer");
        assertTrue(open.compareTo(deadline.minusMillis(100)) > 0 && open.compareTo(deadline.plusSeconds(2)) < 0,
                "closed after " + open);
    }

    /** With every connection slot held, one more is closed at once; the slots free at the deadline. */
    @Test
    void connectionsAreBoundedAndFreedAtTheirDeadline() throws Exception {
        Duration deadline = Duration.ofMillis(800);
        start(deadline, 4);
        for (int i = 0; i < 4; i++) {
            halfRequest();
        }
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> get("/healthz"), "a fifth connection is refused");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(ANSWER) < 0, "refused at once");
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                assertEquals("ok\n", get("/healthz").body());
                return;
            } catch (IOException e) {
                assertTrue(System.nanoTime() < until, "the slots were not freed: " + e);
            }
        }
    }

    @Test
    void otherRequestsGetAClearStatus() throws Exception {
        start(HealthServer.CONNECTION_DEADLINE, HealthServer.MAX_CONNECTIONS);
        assertEquals(404, get("/nothing").statusCode());
        assertEquals(200, get("/metrics?x=1").statusCode());
        var post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(ANSWER).build();
        assertEquals(405, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
        var big = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .header("X-Filler", "x".repeat(HealthServer.MAX_HEAD)).timeout(ANSWER).build();
        assertEquals(431, http.send(big, HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
