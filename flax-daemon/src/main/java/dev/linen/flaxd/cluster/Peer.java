package dev.linen.flaxd.cluster;

import java.util.List;

/**
 * A node as flaxd needs it: its name, pod CIDRs ({@code spec.podCIDRs}, else {@code spec.podCIDR})
 * and InternalIP. Built only for nodes that have both; others are waited for.
 */
public record Peer(String name, List<String> podCidrs, String internalIp) {
    public Peer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("peer needs a name");
        }
        podCidrs = List.copyOf(podCidrs);
        if (podCidrs.isEmpty() || internalIp == null || internalIp.isBlank()) {
            throw new IllegalArgumentException("peer " + name + " needs pod CIDRs and an InternalIP");
        }
    }
}
