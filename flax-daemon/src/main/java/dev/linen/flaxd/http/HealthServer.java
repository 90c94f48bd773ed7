package dev.linen.flaxd.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /healthz} (the reconcile loop is alive), {@code /readyz} (200, or 503 with the reason it is
 * not ready) and {@code /metrics} over HTTP/1.1 on one address.
 *
 * <p>A small server of our own, built so that no client can hold it up: every connection runs on
 * its own virtual thread and is closed {@link #CONNECTION_DEADLINE} after it was accepted, whatever
 * it is doing (a half-sent request, a response it does not read); at most {@link #MAX_CONNECTIONS}
 * are open at once, and one more is closed as soon as it is accepted; request line and headers
 * are at most {@link #MAX_HEAD} bytes; one GET per connection ({@code Connection: close}). (The
 * JDK's {@code com.sun.net.httpserver} runs requests on its one dispatcher thread unless given
 * an executor, and bounds the time to read a request only through JVM-wide system properties.)
 * Start once, close once.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthServer.class.getName());
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(5);
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_HEAD = 8192;

    private final ServerSocket server;
    private final Map<String, Supplier<Response>> routes;
    private final Connections<Socket> connections;

    /** A response: status, content type, body. */
    record Response(int status, String type, String body) {
        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }

    /**
     * Binds {@code address} (served after {@link #start}).
     *
     * @param live           /healthz: 200 "ok" while true, else 503
     * @param notReadyReason /readyz: empty when ready (200 "ready"), else the reason (503 "not ready: reason")
     * @throws IOException if the address cannot be bound
     */
    public HealthServer(InetSocketAddress address, BooleanSupplier live, Supplier<Optional<String>> notReadyReason,
                        Metrics metrics) throws IOException {
        this(address, live, notReadyReason, metrics, CONNECTION_DEADLINE, MAX_CONNECTIONS);
    }

    HealthServer(InetSocketAddress address, BooleanSupplier live, Supplier<Optional<String>> notReadyReason,
                 Metrics metrics, Duration deadline, int maxConnections) throws IOException {
        this.routes = Map.of(
                "/healthz", () -> live.getAsBoolean() ? Response.text(200, "ok\n")
                        : Response.text(503, "the reconcile loop has stopped\n"),
                "/readyz", () -> notReadyReason.get().map(r -> Response.text(503, "not ready: " + r + "\n"))
                        .orElse(Response.text(200, "ready\n")),
                "/metrics", () -> new Response(200, "text/plain; version=0.0.4", metrics.render()));
        this.connections = new Connections<>("flaxd-http", deadline, maxConnections);
        this.server = new ServerSocket();
        server.bind(address, maxConnections);
    }

    /** Starts accepting on a daemon thread. Call once. */
    public void start() {
        Thread.ofPlatform().name("flaxd-http").daemon().start(this::acceptLoop);
    }

    /** The bound port (useful when asked for port 0). */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.log(Level.WARNING, "HTTP accept failed", e);
                    connections.pause();
                }
                continue;
            }
            if (!connections.serve(s, this::serve)) {
                LOG.fine("HTTP: " + MAX_CONNECTIONS + " connections open, closed one more from "
                        + s.getRemoteSocketAddress());
            }
        }
    }

    /** Reads one request head and answers it; any I/O failure (the deadline closed it) ends it. */
    private void serve(Socket s) {
        try {
            InputStream in = new BufferedInputStream(s.getInputStream());
            Response response;
            boolean unread = true;
            try {
                HttpRequestHead head = HttpRequestHead.read(in, MAX_HEAD);
                unread = !head.method().equals("GET");
                response = respond(head);
            } catch (HttpRequestHead.BadRequest e) {
                response = Response.text(e.status(), e.getMessage() + "\n");
            }
            write(s.getOutputStream(), response);
            s.shutdownOutput();
            if (unread) {
                // what the client sent beyond the head (a body, an oversized header): closing with it
                // unread would reset the connection before the client reads our answer
                in.skip(Long.MAX_VALUE);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "HTTP connection ended", e);
        }
    }

    private Response respond(HttpRequestHead head) {
        if (!head.method().equals("GET")) {
            return Response.text(405, "only GET\n");
        }
        Supplier<Response> route = routes.get(head.path());
        if (route == null) {
            return Response.text(404, "not found\n");
        }
        try {
            return route.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "HTTP " + head.path() + " failed", e);
            return Response.text(500, "internal error\n");
        }
    }

    static void write(OutputStream out, Response r) throws IOException {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: " + r.type()
                + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /** Stops accepting and closes every open connection. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "HTTP close", e);
        }
        connections.close();
    }
}
