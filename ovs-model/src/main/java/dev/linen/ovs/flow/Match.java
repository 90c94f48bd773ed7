package dev.linen.ovs.flow;

/**
 * One match field of a flow. {@link #toString()} is the field in ovs-ofctl syntax, as
 * {@code ovs-ofctl dump-flows} prints it.
 */
public sealed interface Match {

    /** The packet came in on this OpenFlow port. */
    record InPort(int port) implements Match {
        public InPort {
            if (port < 1 || port > 0xfeff) {
                throw new IllegalArgumentException("OpenFlow port out of range: " + port);
            }
        }

        @Override
        public String toString() {
            return "in_port=" + port;
        }
    }

    /** The packet came in on the bridge's own (LOCAL) port. */
    record InPortLocal() implements Match {
        @Override
        public String toString() {
            return "in_port=LOCAL";
        }
    }

    /** ARP packets. */
    record Arp() implements Match {
        @Override
        public String toString() {
            return "arp";
        }
    }

    /** IPv4 packets. */
    record Ip() implements Match {
        @Override
        public String toString() {
            return "ip";
        }
    }

    /** ARP opcode (1 request, 2 reply); needs {@link Arp}. */
    record ArpOp(int op) implements Match {
        @Override
        public String toString() {
            return "arp_op=" + op;
        }
    }

    /** ARP target protocol address; needs {@link Arp}. */
    record ArpTpa(Ipv4Prefix prefix) implements Match {
        @Override
        public String toString() {
            return "arp_tpa=" + prefix;
        }
    }

    /** IPv4 destination; needs {@link Ip}. */
    record IpDst(Ipv4Prefix prefix) implements Match {
        @Override
        public String toString() {
            return "nw_dst=" + prefix;
        }
    }

    /** IPv4 source; needs {@link Ip}. */
    record IpSrc(Ipv4Prefix prefix) implements Match {
        @Override
        public String toString() {
            return "nw_src=" + prefix;
        }
    }

    /** Ethernet destination. */
    record EthDst(MacAddress mac) implements Match {
        @Override
        public String toString() {
            return "dl_dst=" + mac;
        }
    }

    /** Tunnel key (VNI). */
    record TunId(long id) implements Match {
        @Override
        public String toString() {
            return "tun_id=0x" + Long.toHexString(id);
        }
    }

    /** A Nicira register (reg0..reg15) under a mask. */
    record Reg(int index, long value, long mask) implements Match {
        public Reg {
            if (index < 0 || index > 15) {
                throw new IllegalArgumentException("register index out of range: " + index);
            }
            if ((value & ~mask & 0xffffffffL) != 0 || (mask >>> 32) != 0) {
                throw new IllegalArgumentException("register value outside its 32-bit mask");
            }
        }

        @Override
        public String toString() {
            String v = "reg" + index + "=0x" + Long.toHexString(value);
            return mask == 0xffffffffL ? v : v + "/0x" + Long.toHexString(mask);
        }
    }
}
