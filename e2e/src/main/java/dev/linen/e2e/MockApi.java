package dev.linen.e2e;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The lab's Kubernetes API: fabric8's mock server in CRUD mode (real HTTP, real watches; a stand-in
 * because no kube-apiserver can be installed here), paging lists as the apiserver does
 * ({@link PagingCrudDispatcher}). It binds HOST:PORT, creates the Nodes given as
 * {@code name=podCIDR=InternalIP}, prints "ready", then reads commands from stdin until it closes:
 * {@code add name=podCIDR=InternalIP} and {@code del name}. With {@code MOCKAPI_NODE_IMAGES=N} every
 * Node also lists N container images in its status, as a kubelet does (at most 50 by default), so
 * that Nodes have the size of real ones. With {@code MOCKAPI_FAIL_NODE_LISTS=500,drop} the first
 * Node LIST is answered with an HTTP 500, the second with a reset of every open connection, later
 * ones normally (see {@link NodeListFault}; clients then reach the API through a {@link TcpFront}).
 */
public final class MockApi {
    private MockApi() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MockApi HOST PORT [name=podCIDR=InternalIP ...]");
            System.exit(2);
        }
        java.util.List<NodeListFault> faults;
        try {
            faults = NodeListFault.parse(System.getenv().getOrDefault("MOCKAPI_FAIL_NODE_LISTS", ""));
        } catch (IllegalArgumentException e) {
            System.err.println("MockApi: MOCKAPI_FAIL_NODE_LISTS: " + e.getMessage());
            System.exit(2);
            return;
        }
        InetAddress host = InetAddress.getByName(args[0]);
        try (MockApiServer server = MockApiServer.start(host, Integer.parseInt(args[1]), faults);
             KubernetesClient client = server.adminClient()) {
            for (int i = 2; i < args.length; i++) {
                add(client, args[i]);
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.trim().split(" ");
                if (w.length == 2 && w[0].equals("add")) {
                    add(client, w[1]);
                } else if (w.length == 2 && w[0].equals("del")) {
                    client.nodes().withName(w[1]).delete();
                }
                System.out.println("done " + line.trim());
                System.out.flush();
            }
        }
    }

    private static final int IMAGES = Integer.parseInt(
            System.getenv().getOrDefault("MOCKAPI_NODE_IMAGES", "0"));

    private static void add(KubernetesClient client, String spec) {
        String[] p = spec.split("=");
        if (p.length != 3) {
            throw new IllegalArgumentException("node spec must be name=podCIDR=InternalIP: " + spec);
        }
        var status = new NodeBuilder().withNewMetadata().withName(p[0]).endMetadata()
                .withNewSpec().withPodCIDR(p[1]).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(p[2]).endAddress();
        for (int i = 0; i < IMAGES; i++) {
            String digest = String.format("%064x", (long) p[0].hashCode() * 31 + i);
            status = status.addNewImage().withNames("registry.example.org/team-" + i + "/service-" + i + "@sha256:"
                    + digest, "registry.example.org/team-" + i + "/service-" + i + ":v1." + i + ".0")
                    .withSizeBytes(50_000_000L + i).endImage();
        }
        client.nodes().resource(status.endStatus().build()).create();
    }
}
