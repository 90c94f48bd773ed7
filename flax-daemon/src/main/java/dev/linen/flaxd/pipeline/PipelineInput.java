package dev.linen.flaxd.pipeline;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * What the flow-mode pipeline is computed from.
 *
 * @param tunnelPort OpenFlow port number of {@code vxlan0}
 * @param local      this node's pod range and gateway, once the Node has a podCIDR
 * @param peers      the other nodes
 */
public record PipelineInput(int tunnelPort, Optional<Local> local, List<Peer> peers) {
    public PipelineInput {
        if (tunnelPort < 1 || tunnelPort > 0xfeff) {
            throw new IllegalArgumentException("tunnel OpenFlow port out of range: " + tunnelPort);
        }
        peers = List.copyOf(peers);
    }

    /**
     * This node: its pod range and the MAC of its gateway (the Linux bridge) that tunnel traffic
     * for local pods is addressed to.
     */
    public record Local(Ipv4Prefix podCidr, MacAddress gatewayMac) {
    }
}
