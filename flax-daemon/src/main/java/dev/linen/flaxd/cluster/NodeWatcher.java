package dev.linen.flaxd.cluster;

import dev.linen.flaxd.reconcile.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fabric8 shared informer on Nodes. Its handlers only enqueue node names; readers take peers
 * from the informer's cache, which keeps of each Node only what flaxd reads (name, pod CIDRs,
 * addresses): real Node objects carry image lists and conditions many times that size. Thread-safe.
 */
public final class NodeWatcher implements AutoCloseable {
    /**
     * Nodes per list request. The initial list (and a relist after the watch expires) comes in
     * pages of this many, so that only one page of full Node objects (each with up to 50 image
     * names) is in memory at once, not the whole cluster.
     */
    static final long LIST_PAGE = 500;

    private final SharedIndexInformer<Node> informer;
    private final String self;

    /** Creates the informer (not yet running); events go to {@code queue}. */
    public NodeWatcher(KubernetesClient client, String self, WorkQueue queue) {
        this.self = self;
        this.informer = client.nodes().withLimit(LIST_PAGE).runnableInformer(0).itemStore(new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE, Node.class, client.getKubernetesSerialization(),
                "spec.podCIDR", "spec.podCIDRs", "status.addresses"));
        // fabric8's default gives up when the first list fails (API not yet reachable, a page
        // expired); a node daemon must keep trying, with the informer's backoff.
        informer.exceptionHandler((started, failure) -> true);
        informer.addEventHandler(new ResourceEventHandler<Node>() {
            @Override
            public void onAdd(Node node) {
                queue.add(node.getMetadata().getName());
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                queue.add(newNode.getMetadata().getName());
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                queue.add(node.getMetadata().getName());
            }
        });
    }

    /** Starts watching. Idempotent. */
    public void start() {
        informer.start();
    }

    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** Every other node that has a pod CIDR and an InternalIP, from the informer's cache. */
    public List<Peer> peers() {
        List<Peer> out = new ArrayList<>();
        for (Node n : informer.getStore().list()) {
            Optional<Peer> p = Peers.of(n);
            if (p.isPresent() && !p.get().name().equals(self)) {
                out.add(p.get());
            }
        }
        return out;
    }

    /** This node as a peer, once the API shows its pod CIDR and InternalIP. */
    public Optional<Peer> self() {
        for (Node n : informer.getStore().list()) {
            if (self.equals(n.getMetadata().getName())) {
                return Peers.of(n);
            }
        }
        return Optional.empty();
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        informer.stop();
    }
}
