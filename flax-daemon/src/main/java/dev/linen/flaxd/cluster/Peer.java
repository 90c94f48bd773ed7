package dev.linen.flaxd.cluster;

import dev.linen.ovs.flow.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * A node as flaxd needs it: its name, pod CIDRs ({@code spec.podCIDRs}, else {@code spec.podCIDR})
 * and IPv4 InternalIP (the tunnel endpoint). Only {@link NodeRules} makes them from Node objects, after
 * checking every field; the constructor checks again, so an invalid peer cannot exist.
 *
 * @param podCidrs   every pod CIDR of the node, as the API gives them (IPv6 ones are kept, not tunnelled)
 * @param internalIp the node's IPv4 InternalIP, dotted quad
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
        if (ipv4Of(podCidrs).isEmpty()) {
            throw new IllegalArgumentException("peer " + name + " has no IPv4 pod CIDR: " + podCidrs);
        }
        if (Ipv4Prefix.parse(internalIp).length() != 32) {
            throw new IllegalArgumentException("peer " + name + " InternalIP is not an address: " + internalIp);
        }
    }

    /** The IPv4 pod ranges, the ones this overlay tunnels. */
    public List<Ipv4Prefix> ipv4PodCidrs() {
        return ipv4Of(podCidrs);
    }

    /** The tunnel endpoint as a /32. */
    public Ipv4Prefix tunnelIp() {
        return Ipv4Prefix.parse(internalIp);
    }

    private static List<Ipv4Prefix> ipv4Of(List<String> cidrs) {
        List<Ipv4Prefix> out = new ArrayList<>();
        for (String c : cidrs) {
            if (!c.contains(":")) {
                out.add(Ipv4Prefix.parse(c));
            }
        }
        return out;
    }
}
