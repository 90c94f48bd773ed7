package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linen.flaxd.cluster.Peer;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conflist flaxd writes when ready: named to sort first, replacing an earlier release's. */
class ConflistWriterTest {
    @Test
    void writesTheNodesConflistOnceRemovesTheLegacyOneAndUninstallRemovesIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("10-linen.conflist"), "{}");
        Files.writeString(dir.resolve("05-other.conflist"), "{}");
        ConflistWriter w = new ConflistWriter(dir, "br0", "netdev", "/run/ovs/db.sock", Optional.empty());
        Peer self = new Peer("node-7", List.of("10.244.7.0/24"), "127.0.0.1");

        assertTrue(w.ensure(self));
        assertFalse(w.ensure(self), "unchanged: not written again");
        JsonNode c = new ObjectMapper().readTree(dir.resolve("00-linen.conflist").toFile());
        assertEquals("10.244.7.0/24", c.at("/plugins/0/ipam/ranges/0/0/subnet").asText());
        int loMtu = NetworkInterface.getByInetAddress(InetAddress.getByName("127.0.0.1")).getMTU();
        assertEquals(loMtu - 50, c.at("/plugins/0/mtu").asInt());
        assertEquals("netdev", c.at("/plugins/1/datapathType").asText());
        assertEquals("portmap", c.at("/plugins/2/type").asText());
        assertFalse(Files.exists(dir.resolve("10-linen.conflist")));
        try (var names = Files.list(dir)) {
            assertEquals("00-linen.conflist", names.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow(),
                    "sorts before other CNIs' files");
        }
        assertTrue(w.remove());
        assertFalse(w.remove());
        assertTrue(Files.exists(dir.resolve("05-other.conflist")), "another CNI's file stays");
    }
}
