package dev.linen.flaxd.install;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The node's uplink: the interface holding its InternalIP, and the pod MTU it allows. */
public final class Uplink {
    /** VXLAN over IPv4 adds 50 bytes: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8. */
    public static final int VXLAN_OVERHEAD = 50;

    private Uplink() {
    }

    /**
     * The MTU of the interface that holds {@code internalIp}, less the VXLAN overhead.
     *
     * @throws IllegalStateException when no interface of this namespace holds the address
     */
    public static int podMtu(InetAddress internalIp) {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (Collections.list(nif.getInetAddresses()).contains(internalIp)) {
                    return nif.getMTU() - VXLAN_OVERHEAD;
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no interface holds the node's InternalIP " + internalIp.getHostAddress());
    }
}
