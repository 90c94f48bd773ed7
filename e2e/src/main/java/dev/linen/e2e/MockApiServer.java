package dev.linen.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * fabric8's mock Kubernetes API in CRUD mode (real HTTP, real watches: the one stand-in, no
 * kube-apiserver can be installed here), paging lists as the apiserver does
 * ({@link PagingCrudDispatcher}), optionally with faults on its first Node lists. Without
 * faults the server itself listens on the given address; with faults a {@link TcpFront} listens
 * there and the server on loopback behind it, so that a {@code drop} can reset connections.
 * Start once, close once; the accessors are thread-safe.
 */
public final class MockApiServer implements AutoCloseable {
    private final KubernetesMockServer server;
    private final Optional<FaultDispatcher> faults;
    private final Optional<TcpFront> front;
    private final String url;

    private MockApiServer(KubernetesMockServer server, Optional<FaultDispatcher> faults, Optional<TcpFront> front,
            String url) {
        this.server = server;
        this.faults = faults;
        this.front = front;
        this.url = url;
    }

    /**
     * Starts the API on {@code host}:{@code port} (0: any free port); the first Node lists get
     * {@code faults}, in order.
     */
    public static MockApiServer start(InetAddress host, int port, List<NodeListFault> faults) throws IOException {
        if (faults.isEmpty()) {
            KubernetesMockServer server = crud(new PagingCrudDispatcher());
            server.init(host, port);
            return new MockApiServer(server, Optional.empty(), Optional.empty(), url(host, server.getPort()));
        }
        TcpFront front = TcpFront.bind(new InetSocketAddress(host, port));
        FaultDispatcher dispatcher = new FaultDispatcher(new PagingCrudDispatcher(), faults, front::resetAll);
        KubernetesMockServer server = crud(dispatcher);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            server.init(loopback, 0);
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
        front.forwardTo(new InetSocketAddress(loopback, server.getPort()));
        return new MockApiServer(server, Optional.of(dispatcher), Optional.of(front), url(host, front.port()));
    }

    private static KubernetesMockServer crud(Dispatcher dispatcher) {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    }

    private static String url(InetAddress host, int port) {
        String h = host.getHostAddress();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** The URL clients of the API use (through the faults, when there are any). */
    public String url() {
        return url;
    }

    /** A new client for the lab's or test's own requests: straight to the server, never through the front. */
    public KubernetesClient adminClient() {
        return server.createClient();
    }

    /** Node LIST requests seen so far, faulted or not (0 when no faults were planned: not counted). */
    public int nodeLists() {
        return faults.map(FaultDispatcher::nodeLists).orElse(0);
    }

    /** Planned faults not served yet. */
    public int faultsLeft() {
        return faults.map(FaultDispatcher::faultsLeft).orElse(0);
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        front.ifPresent(TcpFront::close);
        server.destroy();
    }
}
