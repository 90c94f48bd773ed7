package dev.linen.ovs.openflow.odl;

import dev.linen.ovs.flow.Action;

/**
 * NXM field headers ({@code class << 16 | field << 9 | length}) of the fields the Nicira actions
 * touch. Class 0 holds the OpenFlow fields, class 1 the Nicira ones.
 */
enum NxmField {
    ETH_DST(0, 1, 6, 3), ETH_SRC(0, 2, 6, 4), ARP_SPA(0, 16, 4, 22), ARP_TPA(0, 17, 4, 23),
    ARP_SHA(1, 17, 6, 24), ARP_THA(1, 18, 6, 25), REG0(1, 0, 4, -1), TUN_IPV4_DST(1, 32, 4, -1);

    private static final int OXM_BASIC = 0x8000;
    /** Class and field of a header, without the mask bit and the length. */
    private static final int ID = 0xfffffe00;

    private final int header;
    private final int bytes;
    /** The same field's OpenFlow basic-class header (OVS may name a field either way), or 0. */
    private final int oxmHeader;

    NxmField(int nxmClass, int field, int bytes, int oxmField) {
        this.header = (nxmClass << 16) | (field << 9) | bytes;
        this.bytes = bytes;
        this.oxmHeader = oxmField < 0 ? 0 : (OXM_BASIC << 16) | (oxmField << 9) | bytes;
    }

    /** Whether {@code other} (an NXM or OXM header as read back) names this field. */
    boolean sameField(int other) {
        return (other & ID) == (header & ID) || oxmHeader != 0 && (other & ID) == (oxmHeader & ID);
    }

    /** The model's move field a header read back names, if any. */
    static java.util.Optional<Action.Field> field(int header) {
        for (Action.Field f : Action.Field.values()) {
            if (of(f).sameField(header)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
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
