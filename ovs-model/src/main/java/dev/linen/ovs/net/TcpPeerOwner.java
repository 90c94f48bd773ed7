package dev.linen.ovs.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which user owns the other end of a TCP connection accepted on this host: read from the kernel's
 * socket tables {@code /proc/net/tcp} (IPv4) and {@code /proc/net/tcp6} (IPv6, v4-mapped
 * included). A connection from a local process appears there twice; the peer's row is the one
 * whose local address is the peer's and whose remote address is ours, and its {@code uid}
 * column is the peer socket's owner. Only established rows count (a {@code TIME_WAIT} row's
 * uid is always 0).
 *
 * <p>The tables are those of the reading process's network namespace: a peer elsewhere has no
 * row. Read-only (never writes anything); immutable and thread-safe; each lookup reads the files
 * anew.
 */
public final class TcpPeerOwner {
    private static final String ESTABLISHED = "01";

    private final Path procNet;
    private final ByteOrder order;

    /**
     * @param procNet the directory holding {@code tcp} and {@code tcp6} (normally {@code /proc/net}), absolute
     * @param order   the byte order the kernel prints addresses in: the host's native one
     */
    public TcpPeerOwner(Path procNet, ByteOrder order) {
        Objects.requireNonNull(procNet, "procNet");
        Objects.requireNonNull(order, "order");
        if (!procNet.isAbsolute()) {
            throw new IllegalArgumentException("socket table directory must be absolute: " + procNet);
        }
        this.procNet = procNet;
        this.order = order;
    }

    /** This host's tables, as the kernel prints them. */
    public static TcpPeerOwner system() {
        return new TcpPeerOwner(Path.of("/proc/net"), ByteOrder.nativeOrder());
    }

    /**
     * The uid owning the socket at {@code peer} that is connected to {@code ours}; empty when no
     * established connection between them is in the tables (it has ended, or the peer is not in
     * this network namespace).
     *
     * @throws UncheckedIOException when a table exists but cannot be read
     */
    public OptionalInt uidOf(InetSocketAddress peer, InetSocketAddress ours) {
        requireResolved(peer, "peer");
        requireResolved(ours, "ours");
        for (String table : List.of("tcp", "tcp6")) {
            OptionalInt uid = uidOf(read(procNet.resolve(table)), peer, ours, order);
            if (uid.isPresent()) {
                return uid;
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The same lookup in one table's text (the format of {@code /proc/net/tcp} or {@code tcp6}).
     *
     * @throws IllegalArgumentException when a row does not have that format
     */
    public static OptionalInt uidOf(String table, InetSocketAddress peer, InetSocketAddress ours, ByteOrder order) {
        byte[] peerIp = as16(peer.getAddress());
        byte[] ourIp = as16(ours.getAddress());
        for (Row row : parse(table, order)) {
            if (row.state().equals(ESTABLISHED) && row.localPort() == peer.getPort()
                    && row.remotePort() == ours.getPort() && Arrays.equals(as16(row.local()), peerIp)
                    && Arrays.equals(as16(row.remote()), ourIp)) {
                return OptionalInt.of(row.uid());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * One socket of a table: its local and remote endpoints, state (two hex digits as printed) and owner.
     */
    public record Row(InetAddress local, int localPort, InetAddress remote, int remotePort, String state, int uid) {
        public Row {
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(state, "state");
            if (localPort < 0 || localPort > 65535 || remotePort < 0 || remotePort > 65535) {
                throw new IllegalArgumentException("port out of range: " + localPort + ", " + remotePort);
            }
            if (uid < 0) {
                throw new IllegalArgumentException("negative uid: " + uid);
            }
        }
    }

    /**
     * Every row of one table's text; the header line (starting {@code sl}) and blank lines are skipped.
     *
     * @throws IllegalArgumentException when a row does not have the kernel's format
     */
    public static List<Row> parse(String table, ByteOrder order) {
        List<Row> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("sl ")) {
                continue;
            }
            rows.add(row(t, order));
        }
        return rows;
    }

    private static Row row(String line, ByteOrder order) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        String[] f = line.split("\\s+");
        if (f.length < 8 || !f[0].endsWith(":")) {
            throw new IllegalArgumentException("not a socket table row: " + line);
        }
        String[] local = endpoint(f[1], line);
        String[] remote = endpoint(f[2], line);
        try {
            return new Row(address(local[0], order), Integer.parseInt(local[1], 16),
                    address(remote[0], order), Integer.parseInt(remote[1], 16),
                    f[3], Integer.parseInt(f[7]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in socket table row: " + line, e);
        }
    }

    private static String[] endpoint(String field, String line) {
        String[] parts = field.split(":");
        if (parts.length != 2 || parts[1].length() != 4) {
            throw new IllegalArgumentException("bad endpoint " + field + " in socket table row: " + line);
        }
        return parts;
    }

    /**
     * An address as the kernel prints it: 8 hex digits (IPv4) or 32 (IPv6), each 32-bit word
     * printed as a number in the host's byte order.
     */
    static InetAddress address(String hex, ByteOrder order) {
        if ((hex.length() != 8 && hex.length() != 32) || !hex.matches("[0-9A-Fa-f]+")) {
            throw new IllegalArgumentException("bad address in socket table: " + hex);
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                // digits of byte i of the printed number, most significant first
                int digit = word * 8 + (3 - i) * 2;
                int at = order == ByteOrder.LITTLE_ENDIAN ? word * 4 + i : word * 4 + 3 - i;
                bytes[at] = (byte) Integer.parseInt(hex.substring(digit, digit + 2), 16);
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address in socket table: " + hex, e);
        }
    }

    /** IPv4 as its v4-mapped IPv6 form, so that a peer seen either way matches. */
    private static byte[] as16(InetAddress a) {
        byte[] raw = a.getAddress();
        if (!(a instanceof Inet4Address)) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static void requireResolved(InetSocketAddress a, String what) {
        Objects.requireNonNull(a, what);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(what + " address is unresolved: " + a);
        }
    }

    private static String read(Path table) {
        try {
            return Files.readString(table);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table, e);
        }
    }
}
