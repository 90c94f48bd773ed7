package dev.linen.ovs.flow;

import java.util.regex.Pattern;

/** An IPv4 address with a prefix length; {@code /32} prints as the bare address, as OVS does. */
public record Ipv4Prefix(int address, int length) {
    private static final Pattern QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + length);
        }
        address &= mask(length);
    }

    /** Parses {@code a.b.c.d} or {@code a.b.c.d/n}; host bits are cleared. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        if (!QUAD.matcher(ip).matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int len;
        try {
            len = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + text, e);
        }
        int addr = 0;
        for (String octet : ip.split("\\.")) {
            addr = (addr << 8) | Integer.parseInt(octet);
        }
        return new Ipv4Prefix(addr, len);
    }

    public static Ipv4Prefix host(String ip) {
        return parse(ip);
    }

    public boolean contains(Ipv4Prefix other) {
        return other.length >= length && (other.address & mask(length)) == address;
    }

    private static int mask(int len) {
        return len == 0 ? 0 : -1 << (32 - len);
    }

    public String addressText() {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff)
                + "." + (address & 0xff);
    }

    @Override
    public String toString() {
        return length == 32 ? addressText() : addressText() + "/" + length;
    }
}
