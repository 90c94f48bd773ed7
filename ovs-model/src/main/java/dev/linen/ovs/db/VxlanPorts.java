package dev.linen.ovs.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Linen's names for per-peer VXLAN ports: {@code vxif10_245_2_3}. */
public final class VxlanPorts {
    public static final String PREFIX = "vxif";
    private static final int IFNAMSIZ = 15;

    private VxlanPorts() {
    }

    /**
     * {@code vxif} + the address with separators as underscores; names that would pass 15
     * characters become {@code vxif} + 11 hex digits of the address's SHA-256 (stable).
     *
     * @param ip a peer address in canonical text (as the linen config loader produces)
     */
    public static String name(String ip) {
        String plain = PREFIX + ip.replace('.', '_').replace(':', '_');
        if (plain.length() <= IFNAMSIZ) {
            return plain;
        }
        return Hashed.name(ip);
    }

    /**
     * Names too long for the plain form (IPv6). A class of its own: the CNI plugin's steady-state
     * ADD calls {@link #name} for IPv4 peers, and would otherwise load the digest's exception types.
     */
    private static final class Hashed {
        static String name(String ip) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(ip.getBytes(StandardCharsets.US_ASCII));
                return PREFIX + HexFormat.of().formatHex(h).substring(0, IFNAMSIZ - PREFIX.length());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always present", e);
            }
        }
    }
}
