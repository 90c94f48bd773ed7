package dev.linen.flaxd.cluster;

import dev.linen.flaxd.cluster.Rejection.Reason;
import dev.linen.ovs.flow.Ipv4Prefix;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one Node, on its own, is to flaxd: a usable {@link Peer}, not ready yet (no pod CIDR or no
 * InternalIP allocated), or rejected for a bad field. Checks between Nodes (overlaps, shared
 * addresses) are {@link PeerTable}'s. Pure functions.
 */
public final class NodeRules {
    private NodeRules() {
    }

    /** The outcome of checking one Node. */
    public sealed interface Verdict {
        /** Every field is valid. */
        record Usable(Peer peer) implements Verdict {
        }

        /** No pod CIDR or no InternalIP yet: a Node still joining; waited for, not an error. */
        record Waiting(String node) implements Verdict {
        }

        record Rejected(Rejection rejection) implements Verdict {
        }
    }

    /** Checks one Node against the cluster CIDR; never throws for a bad field, whatever it holds. */
    public static Verdict check(Node node, Ipv4Prefix clusterCidr) {
        String name = node.getMetadata().getName();
        List<String> cidrs = podCidrs(node);
        List<String> addresses = internalIps(node);
        if (cidrs.isEmpty() || addresses.isEmpty()) {
            return new Verdict.Waiting(name);
        }
        Optional<Rejection> bad = checkCidrs(name, cidrs, clusterCidr);
        if (bad.isPresent()) {
            return new Verdict.Rejected(bad.get());
        }
        for (String a : addresses) {
            if (isIpv4(a)) {
                return new Verdict.Usable(new Peer(name, cidrs, Ipv4Prefix.parse(a).addressText()));
            }
        }
        boolean anyIpv6 = addresses.stream().anyMatch(NodeRules::isIpv6);
        return new Verdict.Rejected(new Rejection(name,
                anyIpv6 ? Reason.NO_IPV4_INTERNAL_IP : Reason.MALFORMED_INTERNAL_IP, "InternalIP " + addresses));
    }

    private static Optional<Rejection> checkCidrs(String name, List<String> cidrs, Ipv4Prefix cluster) {
        boolean anyIpv4 = false;
        for (String c : cidrs) {
            if (c.contains(":")) {
                if (!isIpv6Cidr(c)) {
                    return Optional.of(new Rejection(name, Reason.MALFORMED_POD_CIDR, "podCIDR " + c));
                }
                continue;
            }
            Optional<Ipv4Prefix> p = ipv4Cidr(c);
            if (p.isEmpty()) {
                return Optional.of(new Rejection(name, Reason.MALFORMED_POD_CIDR, "podCIDR " + c));
            }
            if (!cluster.contains(p.get()) || p.get().length() == cluster.length()) {
                return Optional.of(new Rejection(name, Reason.OUTSIDE_CLUSTER_CIDR,
                        "podCIDR " + c + " is not a range inside the cluster CIDR " + cluster));
            }
            anyIpv4 = true;
        }
        return anyIpv4 ? Optional.empty()
                : Optional.of(new Rejection(name, Reason.NO_IPV4_POD_CIDR, "podCIDRs " + cidrs));
    }

    /** An IPv4 CIDR written exactly: a.b.c.d/n with no host bits set. */
    static Optional<Ipv4Prefix> ipv4Cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        try {
            Ipv4Prefix p = Ipv4Prefix.parse(text);
            return p.toString().equals(text) || (p.length() == 32 && text.equals(p.addressText() + "/32"))
                    ? Optional.of(p) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isIpv4(String text) {
        try {
            return !text.contains("/") && Ipv4Prefix.parse(text).length() == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isIpv6(String text) {
        try {
            return text.contains(":") && InetAddress.ofLiteral(text) instanceof java.net.Inet6Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isIpv6Cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !isIpv6(text.substring(0, slash))) {
            return false;
        }
        try {
            int len = Integer.parseInt(text.substring(slash + 1));
            return len >= 0 && len <= 128;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<String> podCidrs(Node node) {
        List<String> out = new ArrayList<>();
        if (node.getSpec() != null) {
            if (node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()) {
                node.getSpec().getPodCIDRs().forEach(c -> out.add(c == null ? "" : c.trim()));
            } else if (node.getSpec().getPodCIDR() != null && !node.getSpec().getPodCIDR().isBlank()) {
                out.add(node.getSpec().getPodCIDR().trim());
            }
        }
        return out;
    }

    private static List<String> internalIps(Node node) {
        List<String> out = new ArrayList<>();
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if ("InternalIP".equals(a.getType()) && a.getAddress() != null && !a.getAddress().isBlank()) {
                    out.add(a.getAddress().trim());
                }
            }
        }
        return out;
    }
}
