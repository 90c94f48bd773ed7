package dev.linen.ovs.db;

import java.nio.file.Path;

/** Where an OVSDB server listens: a unix socket (the default) or, when configured, plain TCP. */
public sealed interface OvsdbEndpoint {
    Path DEFAULT_SOCKET = Path.of("/var/run/openvswitch/db.sock");

    record UnixSocket(Path path) implements OvsdbEndpoint {
        public UnixSocket {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("OVSDB socket path must be absolute: " + path);
            }
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    record Tcp(String host, int port) implements OvsdbEndpoint {
        public Tcp {
            if (host == null || !host.matches("[0-9A-Za-z.:\\-]+") || port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad OVSDB TCP endpoint: " + host + ":" + port);
            }
        }

        @Override
        public String toString() {
            return "tcp:" + host + ":" + port;
        }
    }

    /** Parses {@code unix:/path}, {@code /path} or {@code tcp:host:port}. */
    static OvsdbEndpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty OVSDB endpoint");
        }
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad OVSDB TCP endpoint: " + text);
            }
            try {
                return new Tcp(rest.substring(0, colon), Integer.parseInt(rest.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad OVSDB TCP port: " + text, e);
            }
        }
        String path = text.startsWith("unix:") ? text.substring(5) : text;
        return new UnixSocket(Path.of(path));
    }
}
