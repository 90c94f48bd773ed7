package dev.linen.flaxd.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * flaxd's local API for linenctl: JSON documents over HTTP/1.1 GET on a unix socket that only
 * flaxd's own user (root, in the DaemonSet) can use. The socket is mode 0600 in a directory of mode
 * 0700 owned by flaxd's user (made if missing; an existing one that is a symlink or someone else's
 * is refused); every connection's peer user (SO_PEERCRED) must be the socket's owner or root, else it
 * is closed unheard. As {@link HealthServer} ({@link Connections}): a virtual thread per connection,
 * each closed {@link #DEADLINE} after its accept, at most {@link #MAX_CONNECTIONS} open. Start once, close once.
 */
public final class LocalApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalApiServer.class.getName());
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final int MAX_CONNECTIONS = 16;

    private final Path socket;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final UserPrincipal root;
    private final Map<String, Supplier<String>> routes;
    private final Connections<SocketChannel> connections = new Connections<>("flaxd-api", DEADLINE, MAX_CONNECTIONS);

    /**
     * Binds {@code socket} (served after {@link #start}); {@code routes} map a path to its JSON
     * document (made on the connection's thread: it must be safe to call from any thread).
     *
     * @throws IOException if the directory is not flaxd's own, a non-socket is in the way, or the bind fails
     */
    public LocalApiServer(Path socket, Map<String, Supplier<String>> routes) throws IOException {
        this.socket = socket.toAbsolutePath();
        this.routes = Map.copyOf(routes);
        Path dir = this.socket.getParent();
        ownDirectory(dir, this.socket.getFileName());
        removeStaleSocket(this.socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(this.socket), MAX_CONNECTIONS);
        Files.setPosixFilePermissions(this.socket, PosixFilePermissions.fromString("rw-------"));
        owner = Files.getOwner(this.socket, LinkOption.NOFOLLOW_LINKS);
        root = Files.getOwner(Path.of("/"), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Makes {@code dir} (0700; its missing parents 0755) or checks it is a real directory of this
     * process's user that holds nothing but {@code socketName} (so that a mistyped path such as
     * /run/api.sock is refused, not made private), then sets 0700.
     */
    static void ownDirectory(Path dir, Path socketName) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new IOException("API socket directory " + dir + " is not a directory (a symlink is refused)");
        }
        int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != self) {
            throw new IOException("API socket directory " + dir + " belongs to uid " + uid + ", not flaxd's " + self);
        }
        try (var entries = Files.list(dir)) {
            java.util.List<Path> others = entries.map(Path::getFileName).filter(n -> !n.equals(socketName)).toList();
            if (!others.isEmpty()) {
                throw new IOException("API socket directory " + dir + " holds more than flaxd's socket ("
                        + others.getFirst() + "): give FLAXD_API a directory of its own");
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
            throw new IOException(socket + " exists and is not a socket: refusing to replace it");
        }
        Files.delete(socket); // a previous flaxd's
    }

    /** Starts accepting on a daemon thread. Call once. */
    public void start() {
        Thread.ofPlatform().name("flaxd-api").daemon().start(this::acceptLoop);
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "API accept failed", e);
                    connections.pause();
                }
                continue;
            }
            if (admitted(ch)) {
                connections.serve(ch, this::serve);
            } else {
                Connections.closeQuietly(ch);
            }
        }
    }

    /** Only the socket's owner (flaxd's user) and root (the owner of /) are served. */
    private boolean admitted(SocketChannel ch) {
        try {
            UserPrincipal peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user();
            if (peer.equals(owner) || peer.equals(root)) {
                return true;
            }
            LOG.warning("API: connection from user " + peer.getName() + " refused (only " + owner.getName() + ")");
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "API: peer credentials unreadable, connection refused", e);
        }
        return false;
    }

    private void serve(SocketChannel ch) {
        try {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            HealthServer.Response response;
            try {
                HttpRequestHead head = HttpRequestHead.read(in, HealthServer.MAX_HEAD);
                response = respond(head);
            } catch (HttpRequestHead.BadRequest e) {
                response = HealthServer.Response.text(e.status(), e.getMessage() + "\n");
            }
            HealthServer.write(Channels.newOutputStream(ch), response);
            ch.shutdownOutput();
        } catch (IOException e) {
            LOG.log(Level.FINE, "API connection ended", e);
        }
    }

    private HealthServer.Response respond(HttpRequestHead head) {
        if (!head.method().equals("GET")) {
            return HealthServer.Response.text(405, "only GET\n");
        }
        Supplier<String> route = routes.get(head.path());
        if (route == null) {
            return HealthServer.Response.text(404, "not found: " + head.path() + " (paths: "
                    + String.join(", ", new java.util.TreeSet<>(routes.keySet())) + ")\n");
        }
        try {
            return new HealthServer.Response(200, "application/json", route.get() + "\n");
        } catch (Unavailable e) {
            return HealthServer.Response.text(503, e.getMessage() + "\n");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "API " + head.path() + " failed", e);
            return HealthServer.Response.text(500, "internal error: " + e.getMessage() + "\n");
        }
    }

    /** A route's answer that what it serves cannot be had now (503, with the reason): not a fault. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String reason) {
            super(reason);
        }
    }

    /** Stops accepting, closes every connection and removes the socket file. Idempotent. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.FINE, "API close", e);
        }
        connections.close();
    }
}
