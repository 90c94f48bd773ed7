package dev.linen.ovs.flow;

/**
 * One action of a flow (OpenFlow 1.3 plus the few Nicira extensions Linen uses).
 * {@link #toString()} is the action in ovs-ofctl syntax, as {@code ovs-ofctl dump-flows} prints it.
 */
public sealed interface Action {

    /** Out of an OpenFlow port. */
    record Output(int port) implements Action {
        @Override
        public String toString() {
            return "output:" + port;
        }
    }

    /** Out of the bridge's own (LOCAL) port. */
    record OutputLocal() implements Action {
        @Override
        public String toString() {
            return "LOCAL";
        }
    }

    /** Back out of the port the packet came in on. */
    record OutputInPort() implements Action {
        @Override
        public String toString() {
            return "IN_PORT";
        }
    }

    /** Traditional L2 switching. */
    record Normal() implements Action {
        @Override
        public String toString() {
            return "NORMAL";
        }
    }

    /** Drop (an empty action list). */
    record Drop() implements Action {
        @Override
        public String toString() {
            return "drop";
        }
    }

    /** Continue in a later table. */
    record GotoTable(int table) implements Action {
        public GotoTable {
            if (table < 0 || table > 254) {
                throw new IllegalArgumentException("table out of range: " + table);
            }
        }

        @Override
        public String toString() {
            return "goto_table:" + table;
        }
    }

    /** Nicira: the tunnel destination of the packet (for a {@code remote_ip=flow} port). */
    record SetTunDst(Ipv4Prefix ip) implements Action {
        public SetTunDst {
            if (ip.length() != 32) {
                throw new IllegalArgumentException("tun_dst must be a host address: " + ip);
            }
        }

        @Override
        public String toString() {
            // sent as a Nicira register load, which ovs-ofctl prints as such
            return "load:0x" + Integer.toHexString(ip.address()) + "->NXM_NX_TUN_IPV4_DST[]";
        }
    }

    /** Set the Ethernet source or destination. */
    record SetEth(EthField field, MacAddress mac) implements Action {
        @Override
        public String toString() {
            return "set_field:" + mac + "->" + field.ofctl;
        }
    }

    /** Set the ARP opcode. */
    record SetArpOp(int op) implements Action {
        @Override
        public String toString() {
            return "set_field:" + op + "->arp_op";
        }
    }

    /** Set the ARP sender hardware address. */
    record SetArpSha(MacAddress mac) implements Action {
        @Override
        public String toString() {
            return "set_field:" + mac + "->arp_sha";
        }
    }

    /** Nicira register move: copy a whole field into another of the same width. */
    record Move(Field from, Field to) implements Action {
        public Move {
            if (from.bits != to.bits) {
                throw new IllegalArgumentException("move between fields of different widths: " + from + ", " + to);
            }
        }

        @Override
        public String toString() {
            return "move:" + from.nxm + "[]->" + to.nxm + "[]";
        }
    }

    enum EthField {
        SRC("eth_src"), DST("eth_dst");

        private final String ofctl;

        EthField(String ofctl) {
            this.ofctl = ofctl;
        }
    }

    /** Whole fields a {@link Move} can copy, with their NXM names and widths. */
    enum Field {
        ETH_SRC("NXM_OF_ETH_SRC", 48), ETH_DST("NXM_OF_ETH_DST", 48),
        ARP_SHA("NXM_NX_ARP_SHA", 48), ARP_THA("NXM_NX_ARP_THA", 48),
        ARP_SPA("NXM_OF_ARP_SPA", 32), ARP_TPA("NXM_OF_ARP_TPA", 32), REG0("NXM_NX_REG0", 32);

        private final String nxm;
        private final int bits;

        Field(String nxm, int bits) {
            this.nxm = nxm;
            this.bits = bits;
        }
    }
}
