package dev.linen.flaxd.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@link Peer}s out of fabric8 {@link Node} objects. Pure functions. */
public final class Peers {
    private Peers() {
    }

    /** The peer for this node, or empty while it has no pod CIDR or no InternalIP yet. */
    public static Optional<Peer> of(Node node) {
        if (node.getMetadata() == null || node.getMetadata().getName() == null) {
            return Optional.empty();
        }
        List<String> cidrs = new ArrayList<>();
        if (node.getSpec() != null) {
            if (node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()) {
                cidrs.addAll(node.getSpec().getPodCIDRs());
            } else if (node.getSpec().getPodCIDR() != null && !node.getSpec().getPodCIDR().isBlank()) {
                cidrs.add(node.getSpec().getPodCIDR());
            }
        }
        Optional<String> ip = internalIp(node);
        if (cidrs.isEmpty() || ip.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Peer(node.getMetadata().getName(), cidrs, ip.get()));
    }

    private static Optional<String> internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        for (NodeAddress a : node.getStatus().getAddresses()) {
            if ("InternalIP".equals(a.getType()) && a.getAddress() != null && !a.getAddress().isBlank()) {
                return Optional.of(a.getAddress());
            }
        }
        return Optional.empty();
    }
}
