package dev.linen.flaxd.cluster;

import dev.linen.flaxd.reconcile.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A fabric8 shared informer on Nodes. Its handlers only enqueue node names; readers take Nodes
 * from the informer's cache, which keeps of each Node only what flaxd reads (name, creation time,
 * pod CIDRs, addresses): real Node objects carry image lists and conditions many times that size. The
 * initial list is paged ({@link #PAGE} Nodes a request), so its transient memory does not grow
 * with the cluster. A failed list or watch is retried forever with the informer's capped
 * exponential backoff (fabric8 stops an informer whose start fails unless told otherwise); the
 * cache keeps the last complete view meanwhile. Thread-safe.
 */
public final class NodeWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeWatcher.class.getName());
    /**
     * Nodes per page of the initial list (and of every relist). A page of real Nodes (50 images
     * each, ~10 KB of JSON) is read whole before it is reduced (its bulk skipped while parsing:
     * {@link NodeSerialization}): 100 keeps that transient to a few MiB, so a 40 MiB heap lists
     * 5000 Nodes; 500 a page was no faster.
     */
    public static final long PAGE = 100;

    private final SharedIndexInformer<Node> informer;
    private volatile CompletionStage<Void> started;
    private final AtomicReference<Optional<Failure>> lastFailure = new AtomicReference<>(Optional.empty());

    /** The last list or watch failure the informer retried after. */
    public record Failure(Instant at, String error) {
    }

    /** Creates the informer (not yet running); events go to {@code queue}. */
    public NodeWatcher(KubernetesClient client, WorkQueue queue) {
        this.informer = client.nodes().withLimit(PAGE).runnableInformer(0).itemStore(new ReducedStateItemStore<>(
                ReducedStateItemStore.NAME_KEY_STATE, Node.class, client.getKubernetesSerialization(),
                "metadata.creationTimestamp", "spec.podCIDR", "spec.podCIDRs", "status.addresses"));
        informer.exceptionHandler((started, t) -> {
            String error = t.getClass().getSimpleName() + ": " + t.getMessage();
            lastFailure.set(Optional.of(new Failure(Instant.now(), error)));
            LOG.warning("Node list/watch failed, retrying with backoff (OVS keeps the last good state): " + error);
            return true;
        });
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

    /**
     * Starts listing and watching; the returned stage completes when the first full list is in
     * the cache. Call once.
     */
    public CompletionStage<Void> start() {
        started = informer.start();
        return started;
    }

    /** True once a complete list of Nodes has been in the cache (stays true through relists). */
    public boolean hasSynced() {
        return informer.hasSynced();
    }

    /** True while the watch is open: the cache follows the API. */
    public boolean isWatching() {
        return informer.isWatching();
    }

    public Optional<Failure> lastFailure() {
        return lastFailure.get();
    }

    /** One Node from the cache, empty when the cache has none of that name. O(1). */
    public Optional<Node> node(String name) {
        return Optional.ofNullable(informer.getStore().getByKey(name));
    }

    /** Every Node in the cache (a full pass: O(N)). */
    public List<Node> nodes() {
        return informer.getStore().list();
    }

    /**
     * Waits at most {@code timeout} for the first full list (the stage {@link #start} returned); the
     * informer keeps retrying after it. True when the list is in.
     */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        CompletionStage<Void> stage = started;
        if (stage != null) {
            try {
                stage.toCompletableFuture().get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // not listed yet (or the first attempt failed): it goes on retrying
            }
        }
        return informer.hasSynced();
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        informer.stop();
    }
}
