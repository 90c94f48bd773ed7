package dev.linen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mock API's Node list faults, seen by a plain HTTP client (real sockets, loopback). */
class MockApiServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(MockApiServer api, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** A client as flaxd builds one, without fabric8's own request retries: each fault reaches the caller. */
    private static KubernetesClient client(MockApiServer api) {
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    private static boolean causedByIo(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void firstListGets500SecondADroppedConnectionThenListsAreNormal() throws Exception {
        try (MockApiServer api = MockApiServer.start(InetAddress.getLoopbackAddress(), 0,
                List.of(NodeListFault.HTTP_500, NodeListFault.DROP));
             KubernetesClient admin = api.adminClient();
             KubernetesClient client = client(api)) {
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
            assertEquals("n1", client.nodes().withName("n1").get().getMetadata().getName(), "a single Node is no list");
            assertEquals(0, api.nodeLists());

            var first = assertThrows(KubernetesClientException.class, () -> client.nodes().list());
            assertEquals(500, first.getCode());
            assertEquals("InternalError", first.getStatus().getReason());
            assertEquals(1, api.faultsLeft());

            var second = assertThrows(KubernetesClientException.class, () -> client.nodes().list());
            assertTrue(causedByIo(second), "no answer, the connection is gone: " + second);
            assertEquals(0, api.faultsLeft());

            assertEquals(List.of("n1"), client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                    .toList());
            assertEquals(3, api.nodeLists());
        }
    }

    @Test
    void aPlainHttpClientSeesTheStatusBodyThenPagedLists() throws Exception {
        try (MockApiServer api = MockApiServer.start(InetAddress.getLoopbackAddress(), 0,
                List.of(NodeListFault.HTTP_500));
             KubernetesClient admin = api.adminClient()) {
            for (String name : List.of("n1", "n2")) {
                admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
                        .create();
            }
            HttpResponse<String> first = get(api, "/api/v1/nodes?limit=500");
            assertEquals(500, first.statusCode());
            assertTrue(first.body().contains("\"kind\":\"Status\""), first.body());
            HttpResponse<String> page = get(api, "/api/v1/nodes?limit=1");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("\"continue\":"), "the store behind the faults pages: " + page.body());
        }
    }

    private static RecordedRequest request(HttpMethod method, String path) {
        return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().build(), new Buffer(null));
    }

    @Test
    void onlyNodeListsAreFaulted() {
        assertTrue(FaultDispatcher.isNodeList(request(HttpMethod.GET, "/api/v1/nodes")));
        assertTrue(FaultDispatcher.isNodeList(request(HttpMethod.GET, "/api/v1/nodes?resourceVersion=0&limit=500")));
        assertFalse(FaultDispatcher.isNodeList(
                request(HttpMethod.GET, "/api/v1/nodes?allowWatchBookmarks=true&watch=true")));
        assertFalse(FaultDispatcher.isNodeList(request(HttpMethod.GET, "/api/v1/nodes/n1")));
        assertFalse(FaultDispatcher.isNodeList(request(HttpMethod.POST, "/api/v1/nodes")));
        assertFalse(FaultDispatcher.isNodeList(request(HttpMethod.GET, "/api/v1/namespaces/default/pods")));
    }

    @Test
    void planIsParsedInOrderAndAWrongWordIsNamed() {
        assertEquals(List.of(NodeListFault.HTTP_500, NodeListFault.DROP), NodeListFault.parse("500,drop"));
        assertEquals(List.of(NodeListFault.DROP, NodeListFault.DROP), NodeListFault.parse(" drop , drop"));
        assertEquals(List.of(), NodeListFault.parse(""));
        var e = assertThrows(IllegalArgumentException.class, () -> NodeListFault.parse("500,503"));
        assertEquals("not a Node list fault: '503' (500 or drop)", e.getMessage());
    }
}
