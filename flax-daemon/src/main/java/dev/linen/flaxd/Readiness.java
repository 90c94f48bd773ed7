package dev.linen.flaxd;

import dev.linen.flaxd.bridge.BridgeReconciler;
import dev.linen.flaxd.cluster.NodeWatcher;
import dev.linen.flaxd.pipeline.FlowPlane;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Why flaxd is not ready, if it is not: the first reason that holds, in the order an operator
 * fixes them (API, this node's Node, OVS, flows). Read by /readyz on the HTTP threads; every input
 * is safe to read from any thread.
 */
record Readiness(NodeWatcher watcher, NodeReconciler reconciler, BridgeReconciler bridge,
                 Optional<FlowPlane> flows) implements Supplier<Optional<String>> {

    @Override
    public Optional<String> get() {
        String failure = watcher.lastFailure().map(f -> "; last error at " + f.at() + ": " + f.error()).orElse("");
        if (!watcher.hasSynced()) {
            return Optional.of("waiting for the first complete list of Nodes (nothing is changed until then;"
                    + " OVS keeps forwarding as it is)" + failure);
        }
        if (!watcher.isWatching()) {
            return Optional.of("the Node watch is down and being retried; OVS keeps the last good state" + failure);
        }
        if (!bridge.connected()) {
            return Optional.of("OVSDB is not connected");
        }
        if (!reconciler.fullDone()) {
            return Optional.of("waiting for the first full sync");
        }
        Optional<String> self = reconciler.selfProblem();
        if (self.isPresent()) {
            return self;
        }
        Optional<String> plumbing = reconciler.plumbingProblem();
        if (plumbing.isPresent()) {
            return plumbing;
        }
        if (flows.isPresent() && !flows.get().ready()) {
            return Optional.of("waiting for the first round of flows (is the bridge connected to flaxd's controller?)");
        }
        return Optional.empty();
    }
}
