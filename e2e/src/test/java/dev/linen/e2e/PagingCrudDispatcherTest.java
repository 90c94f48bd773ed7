package dev.linen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagingCrudDispatcherTest {
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new PagingCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String name : List.of("n-c", "n-a", "n-e", "n-b", "n-d")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    private NodeList page(long limit, String token) {
        return client.nodes().list(new ListOptionsBuilder().withLimit(limit).withContinue(token).build());
    }

    private static List<String> names(NodeList l) {
        return l.getItems().stream().map(n -> n.getMetadata().getName()).toList();
    }

    @Test
    void limitPagesInNameOrderWithContinueTokens() {
        NodeList first = page(2, null);
        assertEquals(List.of("n-a", "n-b"), names(first));
        assertEquals(3L, first.getMetadata().getRemainingItemCount());
        NodeList second = page(2, first.getMetadata().getContinue());
        assertEquals(List.of("n-c", "n-d"), names(second));
        assertEquals(1L, second.getMetadata().getRemainingItemCount());
        NodeList last = page(2, second.getMetadata().getContinue());
        assertEquals(List.of("n-e"), names(last));
        assertNull(last.getMetadata().getContinue());
        assertNull(last.getMetadata().getRemainingItemCount());
    }

    @Test
    void withoutLimitTheWholeListAsBefore() {
        NodeList all = client.nodes().list();
        assertEquals(5, all.getItems().size());
        assertNull(all.getMetadata().getContinue());
    }

    @Test
    void aMalformedTokenIsABadRequest() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> page(2, "%%%not-base64"));
        assertEquals(400, e.getCode());
    }
}
