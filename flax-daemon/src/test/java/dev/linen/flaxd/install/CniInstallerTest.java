package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniInstallerTest {
    private static final CniInstaller.NodeNetwork NODE = new CniInstaller.NodeNetwork(
            "10.244.3.0/24", 1450, "br0", "netdev", "/var/run/openvswitch/db.sock", java.util.Optional.empty());

    @Test
    void conflistChainsBridgeAndLinenForThisNode() throws Exception {
        JsonNode c = new ObjectMapper().readTree(CniInstaller.conflist(NODE));
        assertEquals("bridge", c.at("/plugins/0/type").asText());
        assertEquals("10.244.3.0/24", c.at("/plugins/0/ipam/ranges/0/0/subnet").asText());
        assertEquals(1450, c.at("/plugins/0/mtu").asInt());
        assertEquals("linen", c.at("/plugins/1/type").asText());
        assertTrue(c.at("/plugins/1/runtimeConfig").isMissingNode(), "no vtepIPs: flaxd owns the tunnels");
    }

    @Test
    void writesAtomicallyAndOnlyWhenChanged(@TempDir Path dir) throws Exception {
        String text = CniInstaller.conflist(NODE);
        assertTrue(CniInstaller.writeIfChanged(dir, CniInstaller.CONFLIST, text));
        var before = Files.getLastModifiedTime(dir.resolve(CniInstaller.CONFLIST));
        assertFalse(CniInstaller.writeIfChanged(dir, CniInstaller.CONFLIST, text), "same content: no write");
        assertEquals(before, Files.getLastModifiedTime(dir.resolve(CniInstaller.CONFLIST)));
        String changed = CniInstaller.conflist(new CniInstaller.NodeNetwork("10.244.3.0/24", 1400, "br0", "netdev", "/x", java.util.Optional.of("/run/x")));
        assertTrue(CniInstaller.writeIfChanged(dir, CniInstaller.CONFLIST, changed));
        assertEquals(changed, Files.readString(dir.resolve(CniInstaller.CONFLIST)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left behind");
        }
    }

    @Test
    void podMtuIsTheUplinkMtuLessVxlan() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int loMtu = NetworkInterface.getByInetAddress(lo).getMTU();
        assertEquals(loMtu - 50, Uplink.podMtu(lo));
        assertThrows(IllegalStateException.class, () -> Uplink.podMtu(InetAddress.getByName("192.0.2.77")));
    }
}
