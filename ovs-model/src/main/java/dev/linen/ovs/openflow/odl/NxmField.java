package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Action;

/**
 * NXM field headers ({@code class << 16 | field << 9 | length}) of the fields the Nicira actions
 * touch. Class 0 holds the OpenFlow fields, class 1 the Nicira ones.
 */
enum NxmField {
    ETH_DST(0, 1, 6), ETH_SRC(0, 2, 6), ARP_SPA(0, 16, 4), ARP_TPA(0, 17, 4),
    ARP_SHA(1, 17, 6), ARP_THA(1, 18, 6), REG0(1, 0, 4), TUN_IPV4_DST(1, 32, 4);

    private final int header;
    private final int bytes;

    NxmField(int nxmClass, int field, int bytes) {
        this.header = (nxmClass << 16) | (field << 9) | bytes;
        this.bytes = bytes;
    }

    int header() {
        return header;
    }

    int bits() {
        return bytes * 8;
    }

    static NxmField of(Action.Field f) {
        return switch (f) {
            case ETH_SRC -> ETH_SRC;
            case ETH_DST -> ETH_DST;
            case ARP_SHA -> ARP_SHA;
            case ARP_THA -> ARP_THA;
            case ARP_SPA -> ARP_SPA;
            case ARP_TPA -> ARP_TPA;
            case REG0 -> REG0;
        };
    }
}
