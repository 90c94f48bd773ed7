package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifests in examples/kubernetes parse as Kubernetes objects and say what flaxd needs. */
@EnableKubernetesMockClient(crud = true)
class ManifestsTest {
    static KubernetesClient client;

    private static List<HasMetadata> load(String file) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("..", "examples", "kubernetes", file))) {
            return client.load(in).items();
        }
    }

    @Test
    void rbacGrantsOnlyReadingNodes() throws Exception {
        ClusterRole role = load("rbac.yaml").stream().filter(ClusterRole.class::isInstance)
                .map(ClusterRole.class::cast).findFirst().orElseThrow();
        assertEquals(1, role.getRules().size());
        assertEquals(List.of("nodes"), role.getRules().get(0).getResources());
        assertEquals(List.of("get", "list", "watch"), role.getRules().get(0).getVerbs());
    }

    @Test
    void daemonSetRunsInstallThenFlaxdOnEveryNode() throws Exception {
        DaemonSet ds = (DaemonSet) load("flaxd-daemonset.yaml").get(0);
        var pod = ds.getSpec().getTemplate().getSpec();
        assertTrue(pod.getHostNetwork());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertEquals(List.of("install"), pod.getInitContainers().get(0).getArgs());
        assertTrue(pod.getContainers().get(0).getSecurityContext().getPrivileged());
        assertEquals("flaxd", pod.getServiceAccountName());
    }

    @Test
    void configMapIsAValidFlaxdConfig() throws Exception {
        ConfigMap cm = (ConfigMap) load("flaxd-config.yaml").get(0);
        Map<String, String> env = new java.util.HashMap<>(cm.getData());
        env.put("NODE_NAME", "node-1");
        FlaxdConfig config = FlaxdConfig.fromEnv(env);
        assertEquals("br0", config.tunnels().bridge());
    }
}
