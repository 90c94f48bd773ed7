package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/kubernetes/linen.yaml parses as Kubernetes objects and says what flaxd needs. */
@EnableKubernetesMockClient(crud = true)
class ManifestsTest {
    static KubernetesClient client;

    private static List<HasMetadata> load() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("..", "examples", "kubernetes", "linen.yaml"))) {
            return client.load(in).items();
        }
    }

    private static <T> T one(Class<T> kind) throws Exception {
        List<T> all = load().stream().filter(kind::isInstance).map(kind::cast).toList();
        assertEquals(1, all.size(), kind.getSimpleName());
        return all.get(0);
    }

    @Test
    void oneFileHoldsAccountRbacConfigAndDaemonSet() throws Exception {
        assertEquals(List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet"),
                load().stream().map(HasMetadata::getKind).toList());
        ClusterRoleBinding binding = one(ClusterRoleBinding.class);
        assertEquals("linen", binding.getSubjects().get(0).getName());
        assertEquals("kube-system", binding.getSubjects().get(0).getNamespace());
    }

    @Test
    void rbacGrantsOnlyReadingNodes() throws Exception {
        ClusterRole role = one(ClusterRole.class);
        assertEquals(1, role.getRules().size());
        assertEquals(List.of("nodes"), role.getRules().get(0).getResources());
        assertEquals(List.of("get", "list", "watch"), role.getRules().get(0).getVerbs());
    }

    @Test
    void initInstallsBinariesThenFlaxdRunsUnprivilegedWithProbesOnLoopback() throws Exception {
        var pod = one(DaemonSet.class).getSpec().getTemplate().getSpec();
        assertTrue(pod.getHostNetwork());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertEquals("linen", pod.getServiceAccountName());
        Container init = pod.getInitContainers().get(0);
        assertEquals(List.of("install"), init.getArgs());
        assertEquals(List.of("ALL"), init.getSecurityContext().getCapabilities().getDrop());
        assertEquals(List.of("/host/opt/cni/bin"), init.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
        Container flaxd = pod.getContainers().get(0);
        assertFalse(flaxd.getSecurityContext().getPrivileged());
        assertEquals(List.of("NET_ADMIN", "NET_RAW"), flaxd.getSecurityContext().getCapabilities().getAdd());
        assertEquals("/healthz", flaxd.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", flaxd.getReadinessProbe().getHttpGet().getPath());
        assertEquals("127.0.0.1", flaxd.getReadinessProbe().getHttpGet().getHost());
        assertEquals(9753, flaxd.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertEquals("256Mi", flaxd.getResources().getLimits().get("memory").toString());
        assertEquals("160Mi", flaxd.getResources().getRequests().get("memory").toString());
        assertTrue(flaxd.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/host/etc/cni/net.d")));
    }

    @Test
    void configMapIsAValidFlaxdConfigWhoseHttpIsWhatTheProbesAsk() throws Exception {
        Map<String, String> env = new HashMap<>(one(ConfigMap.class).getData());
        env.put("NODE_NAME", "node-1");
        FlaxdConfig config = FlaxdConfig.fromEnv(env);
        assertEquals("br0", config.tunnels().bridge());
        assertEquals("10.244.0.0/16", config.clusterCidr());
        assertEquals(9753, config.http().getPort());
        assertTrue(config.http().getAddress().isLoopbackAddress());
    }
}
