package dev.linen.flaxd.cluster;

/**
 * Why a Node is not used as a peer. A rejected Node is logged once by name and counted by reason;
 * every other Node is unaffected.
 *
 * @param node   the Node's name
 * @param reason what is wrong
 * @param detail the offending value (and the other Node it clashes with, if any)
 */
public record Rejection(String node, Reason reason, String detail) {
    /** Rejection reasons; {@link #label()} is the metric label. */
    public enum Reason {
        MALFORMED_POD_CIDR("malformed_pod_cidr"),
        NO_IPV4_POD_CIDR("no_ipv4_pod_cidr"),
        MALFORMED_INTERNAL_IP("malformed_internal_ip"),
        NO_IPV4_INTERNAL_IP("no_ipv4_internal_ip"),
        OUTSIDE_CLUSTER_CIDR("outside_cluster_cidr"),
        OVERLAPS_LOCAL_POD_CIDR("overlaps_local_pod_cidr"),
        OVERLAPS_PEER_POD_CIDR("overlaps_peer_pod_cidr"),
        DUPLICATE_INTERNAL_IP("duplicate_internal_ip");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Rejection {
        if (node == null || reason == null || detail == null) {
            throw new IllegalArgumentException("rejection needs a node, a reason and a detail");
        }
    }

    /** One log line's worth: which Node, why, and the value. */
    public String describe() {
        return "Node " + node + " skipped (" + reason.label() + "): " + detail;
    }
}
