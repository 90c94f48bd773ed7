package dev.linen.ovs.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket tables' text, written by hand as a little-endian x86 kernel prints it. */
class TcpPeerOwnerTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
            + "retrnsmt   uid  timeout inode\n";
    /** A listener on 127.0.0.1:6653, uid 0; a client at 127.0.0.1:40000 of uid 65534 connected to it; our side. */
    private static final String TCP = HEADER
            + "   0: 0100007F:19FD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0\n"
            + "   1: 0100007F:9C40 0100007F:19FD 01 00000000:00000000 00:00000000 00000000 65534        0 102 1 0 20 4 30 10 -1\n"
            + "   2: 0100007F:19FD 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1\n"
            + "   3: 0100007F:9C41 0100007F:19FD 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0\n";
    /** ::1 port 6653 connected from ::1 port 40002 (uid 998), and from ::ffff:127.0.0.1 port 40003 (uid 997). */
    private static final String TCP6 = "  sl  local_address                         remote_address"
            + "                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000000000000000000001000000:9C42 00000000000000000000000001000000:19FD 01 "
            + "00000000:00000000 00:00000000 00000000   998        0 201 1 0 20 4 30 10 -1\n"
            + "   1: 0000000000000000FFFF00000100007F:9C43 0000000000000000FFFF00000100007F:19FD 01 "
            + "00000000:00000000 00:00000000 00000000   997        0 202 1 0 20 4 30 10 -1\n";

    private static InetSocketAddress at(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void parsesAddressesPortsStateAndUid() throws IOException {
        List<TcpPeerOwner.Row> rows = TcpPeerOwner.parse(TCP, LE);
        assertEquals(4, rows.size(), "the header is skipped");
        TcpPeerOwner.Row client = rows.get(1);
        assertEquals(InetAddress.getByName("127.0.0.1"), client.local());
        assertEquals(40000, client.localPort());
        assertEquals(InetAddress.getByName("127.0.0.1"), client.remote());
        assertEquals(6653, client.remotePort());
        assertEquals("01", client.state());
        assertEquals(65534, client.uid());
        assertEquals(InetAddress.getByName("0.0.0.0"), rows.get(0).remote());
    }

    @Test
    void ipv4IsLittleEndianAndBigEndianHostsPrintItTheOtherWay() throws IOException {
        assertEquals(InetAddress.getByName("10.1.2.3"), TcpPeerOwner.address("0302010A", LE));
        assertEquals(InetAddress.getByName("10.1.2.3"), TcpPeerOwner.address("0A010203", ByteOrder.BIG_ENDIAN));
    }

    @Test
    void ipv6IsFourLittleEndianWords() throws IOException {
        List<TcpPeerOwner.Row> rows = TcpPeerOwner.parse(TCP6, LE);
        assertEquals(InetAddress.getByName("::1"), rows.get(0).local());
        assertEquals(40002, rows.get(0).localPort());
        assertEquals(998, rows.get(0).uid());
        assertEquals(InetAddress.getByName("fe80::1"),
                TcpPeerOwner.address("000080FE000000000000000001000000", LE));
        // a v4-mapped address comes back as its IPv4 form (java.net's rule)
        assertEquals(InetAddress.getByName("127.0.0.1"), rows.get(1).local());
    }

    @Test
    void thePeersRowGivesItsOwnerNotOurs() throws IOException {
        assertEquals(OptionalInt.of(65534),
                TcpPeerOwner.uidOf(TCP, at("127.0.0.1", 40000), at("127.0.0.1", 6653), LE));
        assertEquals(OptionalInt.of(0),
                TcpPeerOwner.uidOf(TCP, at("127.0.0.1", 6653), at("127.0.0.1", 40000), LE), "our own side");
    }

    @Test
    void aConnectionNotInTheTableOrNotEstablishedHasNoOwner() throws IOException {
        assertEquals(OptionalInt.empty(), TcpPeerOwner.uidOf(TCP, at("127.0.0.1", 40009), at("127.0.0.1", 6653), LE));
        assertEquals(OptionalInt.empty(), TcpPeerOwner.uidOf(TCP, at("127.0.0.1", 40000), at("127.0.0.1", 6654), LE));
        assertEquals(OptionalInt.empty(), TcpPeerOwner.uidOf(TCP, at("127.0.0.1", 40001), at("127.0.0.1", 6653), LE),
                "a TIME_WAIT row (uid 0) is not a peer");
        assertEquals(OptionalInt.empty(), TcpPeerOwner.uidOf(HEADER, at("127.0.0.1", 40000), at("127.0.0.1", 6653), LE));
    }

    @Test
    void ipv6AndV4MappedPeersAreFound() throws IOException {
        assertEquals(OptionalInt.of(998), TcpPeerOwner.uidOf(TCP6, at("::1", 40002), at("::1", 6653), LE));
        assertEquals(OptionalInt.of(997), TcpPeerOwner.uidOf(TCP6, at("127.0.0.1", 40003), at("127.0.0.1", 6653), LE));
        assertEquals(OptionalInt.of(997),
                TcpPeerOwner.uidOf(TCP6, at("::ffff:127.0.0.1", 40003), at("127.0.0.1", 6653), LE));
    }

    @Test
    void readsBothTablesFromTheDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tcp"), TCP);
        Files.writeString(dir.resolve("tcp6"), TCP6);
        TcpPeerOwner owners = new TcpPeerOwner(dir, LE);
        assertEquals(OptionalInt.of(65534), owners.uidOf(at("127.0.0.1", 40000), at("127.0.0.1", 6653)));
        assertEquals(OptionalInt.of(998), owners.uidOf(at("::1", 40002), at("::1", 6653)));
        Files.delete(dir.resolve("tcp6"));
        assertEquals(OptionalInt.empty(), owners.uidOf(at("::1", 40002), at("::1", 6653)), "no IPv6 on the host");
    }

    @Test
    void malformedTextAndArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TcpPeerOwner.parse("   0: 0100007F:19FD\n", LE));
        assertThrows(IllegalArgumentException.class, () -> TcpPeerOwner.parse(
                "   0: 0100007:19FD 00000000:0000 0A 0:0 0:0 0 0 0 1\n", LE));
        assertThrows(IllegalArgumentException.class, () -> TcpPeerOwner.parse(
                "   0: 0100007F:19FD 00000000:0000 0A 0:0 0:0 0 x 0 1\n", LE));
        assertThrows(IllegalArgumentException.class, () -> TcpPeerOwner.address("0100007G", LE));
        assertThrows(IllegalArgumentException.class, () -> new TcpPeerOwner(Path.of("proc/net"), LE));
        assertThrows(IllegalArgumentException.class, () -> new TcpPeerOwner(Path.of("/proc/net"), LE)
                .uidOf(InetSocketAddress.createUnresolved("localhost", 1), new InetSocketAddress(1)));
    }

    @Test
    void thisHostsTablesShowOurOwnLoopbackConnection() throws IOException {
        try (var server = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var client = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             var accepted = server.accept()) {
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            assertEquals(OptionalInt.of(self), TcpPeerOwner.system().uidOf(
                    (InetSocketAddress) accepted.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.getLocalSocketAddress()));
        }
    }
}
