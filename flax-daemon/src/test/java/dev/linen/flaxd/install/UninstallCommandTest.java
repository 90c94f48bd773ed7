package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.flaxd.cluster.Peer;
import dev.linen.flaxd.node.Commands;
import dev.linen.flaxd.node.IptablesBackend;
import dev.linen.flaxd.node.IptablesMode;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** flaxd uninstall on a test-made node (its own netns and OVS): Linen's things go, nothing else. */
class UninstallCommandTest {
    @RegisterExtension
    static final PrivateOvsExtension NODE = new PrivateOvsExtension();
    private static final IptablesBackend NFT = new IptablesBackend(IptablesMode.NFT, "test");

    @Test
    void removesConflistBinariesChainsRouteOwnedBridgeAndStateButNothingElse(@TempDir Path dir) throws Exception {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbrt");
        net.ensure("10.244.1.0/24");
        NODE.vsctl("add-br", "bru0", "--", "set", "bridge", "bru0", "datapath_type=netdev",
                "external_ids:linen-owner=flaxd");
        NODE.vsctl("add-br", "bru1", "--", "set", "bridge", "bru1", "datapath_type=netdev");
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("ptp"), "someone else's plugin");
        new InstallCommand(bin, InstallCommandTest.fakeLinen(dir), Path.of("/usr/lib/cni"), dir.resolve("none")).run();
        ConflistWriter conf = new ConflistWriter(dir.resolve("net.d"), "bru0", "netdev", NODE.socket().toString(),
                Optional.of(dir.resolve("state").toString()));
        conf.ensure(new Peer("n1", List.of("10.244.1.0/24"), "127.0.0.1"));
        Files.createDirectories(dir.resolve("state/ipam/linen"));
        Files.createDirectories(dir.resolve("state/ipam/other"));
        Files.createDirectories(dir.resolve("state/flaxd"));
        Files.writeString(dir.resolve("state/flaxd/api.sock"), "a socket a killed flaxd left");
        UninstallCommand uninstall = new UninstallCommand(bin, conf, net, new OvsdbEndpoint.UnixSocket(NODE.socket()),
                "bru0", "kbrt", cmd, Optional.of(dir.resolve("state").toString()), Optional.of(dir.resolve("state/flaxd/api.sock")));

        uninstall.run();
        uninstall.run();
        try (var left = Files.list(bin)) {
            assertEquals(List.of("ptp"), left.map(p -> p.getFileName().toString()).toList());
        }
        try (var left = Files.list(dir.resolve("net.d"))) {
            assertEquals(0, left.count());
        }
        assertFalse(cmd.must("iptables-nft-save").contains("LINEN"));
        assertEquals("", cmd.must("ip", "route", "show", "10.244.0.0/16").strip());
        assertEquals("bru1", NODE.vsctl("list-br").strip(), "only flaxd's bridge goes");
        assertFalse(cmd.run("ip", "link", "show", "dev", "kbrt").ok());
        assertFalse(Files.exists(dir.resolve("state/ipam/linen")));
        assertTrue(Files.exists(dir.resolve("state/ipam/other")));
        assertFalse(Files.exists(dir.resolve("state/flaxd")), "flaxd's API directory goes");
    }

    @Test
    void aLinuxBridgeWithPodsStaysAndIsNamedAndTheirAddressesAreKept(@TempDir Path dir) throws Exception {
        Commands cmd = Commands.inNetns(NODE.netns());
        cmd.must("ip", "link", "add", "kbru", "type", "bridge");
        cmd.must("ip", "link", "add", "vethu0", "type", "veth", "peer", "name", "vethu1");
        cmd.must("ip", "link", "set", "vethu0", "master", "kbru");
        Path addresses = dir.resolve("state/ipam/linen");
        Files.createDirectories(addresses);
        Files.writeString(addresses.resolve("10.244.1.10"), "a pod's container id");
        Files.createDirectories(dir.resolve("state/linen"));
        try {
            UninstallCommand u = new UninstallCommand(dir.resolve("bin"),
                    new ConflistWriter(dir.resolve("net.d"), "bru2", "netdev", NODE.socket().toString(), Optional.empty()),
                    new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbru"), new OvsdbEndpoint.UnixSocket(NODE.socket()),
                    "bru2", "kbru", cmd, Optional.of(dir.resolve("state").toString()), Optional.empty());
            IllegalStateException e = assertThrows(IllegalStateException.class, u::run);
            assertTrue(e.getMessage().contains("kbru still has ports"), e.getMessage());
            assertTrue(e.getMessage().contains("host-local's addresses kept: kbru is still there"), e.getMessage());
            assertTrue(cmd.run("ip", "link", "show", "dev", "kbru").ok());
            assertEquals("a pod's container id", Files.readString(addresses.resolve("10.244.1.10")),
                    "the pods' addresses stay reserved");
            assertFalse(Files.exists(dir.resolve("state/linen")), "linen's setup record goes all the same");
        } finally {
            cmd.run("ip", "link", "del", "vethu0");
            cmd.run("ip", "link", "del", "kbru");
        }
    }
}
