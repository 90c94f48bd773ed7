package dev.linen.e2e;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults on Node LIST requests ({@code GET /api/v1/nodes}, not a watch, not a single Node; each
 * page of a paged list is one request) in front of the API's store: the first lists get the
 * planned faults in order; later ones, and every other request, go to the store. Thread-safe
 * (requests arrive on the server's event loops).
 */
final class FaultDispatcher extends Dispatcher {
    private static final String NODES = "/api/v1/nodes";
    private final Dispatcher store;
    private final Queue<NodeListFault> faults;
    private final Runnable dropConnections;
    private final AtomicInteger nodeLists = new AtomicInteger();

    /** {@code dropConnections} resets every open client connection (what {@code drop} does). */
    FaultDispatcher(Dispatcher store, List<NodeListFault> faults, Runnable dropConnections) {
        this.store = store;
        this.faults = new ConcurrentLinkedQueue<>(faults);
        this.dropConnections = dropConnections;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (isNodeList(request)) {
            nodeLists.incrementAndGet();
            NodeListFault fault = faults.poll();
            if (fault != null) {
                System.err.println("mock API: Node list answered with fault " + fault.word() + ": "
                        + request.getPath());
                return answer(fault);
            }
        }
        return store.dispatch(request);
    }

    @Override
    public void shutdown() {
        store.shutdown();
    }

    @Override
    public void releaseResources() {
        store.releaseResources();
    }

    private MockResponse answer(NodeListFault fault) {
        if (fault == NodeListFault.DROP) {
            // the client's connections are gone before this reply is written: it never arrives
            dropConnections.run();
        }
        return new MockResponse().setResponseCode(500).addHeader("Content-Type", "application/json").setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"InternalError\","
                        + "\"code\":500,\"message\":\"fault injected by the mock API\"}");
    }

    /** Node LIST requests seen so far, faulted or not. */
    int nodeLists() {
        return nodeLists.get();
    }

    /** Planned faults not served yet. */
    int faultsLeft() {
        return faults.size();
    }

    static boolean isNodeList(RecordedRequest request) {
        String uri = request.getPath();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        return "GET".equals(request.getMethod()) && path.equals(NODES)
                && !query.matches("(.*&)?watch=(true|1)(&.*)?");
    }
}
