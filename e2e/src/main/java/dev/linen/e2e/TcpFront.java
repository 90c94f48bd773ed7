package dev.linen.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mock API's public address when faults are planned: forwards each client connection byte for
 * byte to the API server on loopback, so that it can reset every open connection at once (fabric8's
 * mock server offers no way to drop one). Thread-safe.
 */
final class TcpFront implements AutoCloseable {
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress upstream;
    private volatile Thread acceptor;

    private record Link(Socket client, Socket server) {
        void reset() {
            try {
                client.setSoLinger(true, 0); // RST, not FIN: the client sees its connection reset
            } catch (SocketException e) {
                // already closed
            }
            close();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private TcpFront(ServerSocket listener) {
        this.listener = listener;
    }

    /** Binds {@code bind} (port 0: any free port); connections wait in the backlog until {@link #forwardTo}. */
    static TcpFront bind(InetSocketAddress bind) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bind, 128);
        return new TcpFront(s);
    }

    /** Starts accepting, each connection forwarded to {@code server}. Call once. */
    synchronized void forwardTo(InetSocketAddress server) {
        if (acceptor != null) {
            throw new IllegalStateException("the front already forwards to " + upstream);
        }
        upstream = server;
        acceptor = Thread.ofPlatform().name("mockapi-front").daemon().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every open client connection (and closes its upstream side). New connections are accepted. */
    void resetAll() {
        for (Link l : links) {
            links.remove(l);
            l.reset();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> open(client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("mock API front: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void open(Socket client) {
        Socket server = new Socket();
        Link link = new Link(client, server);
        try {
            server.connect(upstream, 5_000);
        } catch (IOException e) {
            link.reset();
            return;
        }
        links.add(link);
        Thread up = Thread.ofVirtual().start(() -> pump(client, server));
        pump(server, client);
        try {
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        links.remove(link);
        link.close();
    }

    /** Copies {@code from} to {@code to} until EOF (then half-closes {@code to}) or an error (then closes both). */
    private static void pump(Socket from, Socket to) {
        try {
            // not try-with-resources: closing a socket's stream closes the socket, both directions
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        closeQuietly(listener);
        resetAll();
        Thread a = acceptor;
        try {
            if (a != null) {
                a.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
