package dev.linen.flaxd.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the reconcile loop is alive), {@code /readyz} (the first full sync is done) and
 * {@code /metrics} over HTTP on one address. Start once, stop once.
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;

    public HealthServer(InetSocketAddress address, BooleanSupplier live,
                        java.util.function.Supplier<java.util.Optional<String>> notReadyReason, Metrics metrics)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.createContext("/healthz", ex -> reply(ex, live.getAsBoolean() ? 200 : 503, "text/plain", "ok\n"));
        server.createContext("/readyz", ex -> {
            java.util.Optional<String> why = notReadyReason.get();
            reply(ex, why.isEmpty() ? 200 : 503, "text/plain", why.map(w -> "not ready: " + w + "\n").orElse("ready\n"));
        });
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", metrics.render()));
    }

    public void start() {
        server.start();
    }

    /** The bound port (useful when asked for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
