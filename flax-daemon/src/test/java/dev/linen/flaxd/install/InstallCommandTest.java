package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linen.flaxd.FlaxdConfig;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install mode against fabric8's mock API server (CRUD mode; the one stand-in in Linen's tests). */
@EnableKubernetesMockClient(crud = true)
class InstallCommandTest {
    static KubernetesClient client;

    @Test
    void writesTheNodesConflistFromItsNodeObject(@TempDir Path dir) throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-7").endMetadata()
                .withNewSpec().withPodCIDR("10.244.7.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress().endStatus()
                .build()).create();
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("linen-runtime/lib"));
        Files.writeString(src.resolve("linen"), "#!/bin/sh\n");
        Files.writeString(src.resolve("linen-runtime/lib/a.jar"), "jar");
        FlaxdConfig config = FlaxdConfig.fromEnv(Map.of("NODE_NAME", "node-7", "FLAXD_DATAPATH_TYPE", "netdev",
                "FLAXD_CLUSTER_CIDR", "10.244.0.0/16"));
        new InstallCommand(dir.resolve("bin"), dir.resolve("net.d"), src, java.util.Optional.empty()).run(config, client, Duration.ofSeconds(10));

        JsonNode c = new ObjectMapper().readTree(dir.resolve("net.d/10-linen.conflist").toFile());
        assertEquals("10.244.7.0/24", c.at("/plugins/0/ipam/ranges/0/0/subnet").asText());
        int loMtu = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1")).getMTU();
        assertEquals(loMtu - 50, c.at("/plugins/0/mtu").asInt());
        assertEquals("netdev", c.at("/plugins/1/datapathType").asText());
        assertTrue(Files.isRegularFile(dir.resolve("bin/linen")));
        assertEquals("jar", Files.readString(dir.resolve("bin/linen-runtime/lib/a.jar")));
    }
}
