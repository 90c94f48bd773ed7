package dev.linen.flaxd.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Forwarding, masquerade and route, inside a test-made network namespace (never the host's). */
class NodeNetworkTest {
    @RegisterExtension
    static final PrivateOvsExtension NODE = new PrivateOvsExtension();
    private static final IptablesBackend NFT = new IptablesBackend(IptablesMode.NFT, "test");

    @TempDir
    Path dir;

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.equals(line)).count();
    }

    @AfterEach
    void clean() {
        new NodeNetwork(Commands.inNetns(NODE.netns()), NFT, "10.244.0.0/16", "kbrt").uninstall();
    }

    @Test
    void ensureIsIdempotentAndUninstallRemovesEverything() {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbrt");
        net.ensure("10.244.1.0/24");
        assertEquals(List.of(), net.ensure("10.244.1.0/24"));
        String filter = cmd.must("iptables-nft-save", "-t", "filter");
        String nat = cmd.must("iptables-nft-save", "-t", "nat");
        assertEquals(1, count(filter, "-A FORWARD -j LINEN-FORWARD"), filter);
        assertEquals(1, count(filter, "-A LINEN-FORWARD -s 10.244.0.0/16 -i kbrt -j ACCEPT"), filter);
        assertEquals(1, count(nat, "-A POSTROUTING -j LINEN-POSTROUTING"), nat);
        assertEquals(1, count(nat, "-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE"), nat);
        assertEquals("1", cmd.must("sysctl", "-n", "net.ipv4.ip_forward").trim());
        assertTrue(cmd.must("ip", "route", "show", "10.244.0.0/16").contains("dev kbrt"));

        net.uninstall();
        net.uninstall();
        assertFalse(cmd.must("iptables-nft-save", "-t", "filter").contains("LINEN"));
        assertFalse(cmd.must("iptables-nft-save", "-t", "nat").contains("LINEN"));
        assertEquals("", cmd.must("ip", "route", "show", "10.244.0.0/16").trim());
    }

    @Test
    void theNextEnsureRestoresFlushedChainsAndADeletedRoute() {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbrt");
        net.ensure("10.244.1.0/24");
        cmd.must("iptables-nft", "-t", "nat", "-F", "LINEN-POSTROUTING");
        cmd.must("iptables-nft", "-t", "filter", "-F", "LINEN-FORWARD");
        cmd.must("ip", "route", "del", "10.244.0.0/16");

        assertEquals(List.of("LINEN-FORWARD rules", "LINEN-POSTROUTING rules", "route 10.244.0.0/16 dev kbrt"),
                net.ensure("10.244.1.0/24"));
        assertEquals("-N LINEN-FORWARD\n"
                + "-A LINEN-FORWARD -s 10.244.0.0/16 -i kbrt -j ACCEPT\n"
                + "-A LINEN-FORWARD -d 10.244.0.0/16 -o kbrt -j ACCEPT\n",
                cmd.must("iptables-nft", "-t", "filter", "-S", "LINEN-FORWARD"));
        assertEquals("-N LINEN-POSTROUTING\n"
                + "-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE\n",
                cmd.must("iptables-nft", "-t", "nat", "-S", "LINEN-POSTROUTING"));
        assertEquals("10.244.0.0/16 dev kbrt scope link", cmd.must("ip", "route", "show", "exact", "10.244.0.0/16").strip());
    }

    @Test
    void aForeignRuleInFlaxdsChainAndAMissingJumpAreRepaired() {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbrt");
        net.ensure("10.244.1.0/24");
        cmd.must("iptables-nft", "-t", "filter", "-A", "LINEN-FORWARD", "-s", "192.0.2.0/24", "-j", "ACCEPT");
        cmd.must("iptables-nft", "-t", "nat", "-D", "POSTROUTING", "-j", "LINEN-POSTROUTING");
        cmd.must("ip", "link", "set", "kbrt", "down");

        // (the kernel drops the routes of a link set down: the route comes back too)
        assertEquals(List.of("LINEN-FORWARD rules", "jump POSTROUTING -> LINEN-POSTROUTING", "link kbrt up",
                "route 10.244.0.0/16 dev kbrt"), net.ensure("10.244.1.0/24"));
        assertEquals("-P FORWARD ACCEPT\n-A FORWARD -j LINEN-FORWARD\n",
                cmd.must("iptables-nft", "-t", "filter", "-S", "FORWARD"));
        assertEquals("-P POSTROUTING ACCEPT\n-A POSTROUTING -j LINEN-POSTROUTING\n",
                cmd.must("iptables-nft", "-t", "nat", "-S", "POSTROUTING"));
        assertFalse(cmd.must("iptables-nft", "-t", "filter", "-S", "LINEN-FORWARD").contains("192.0.2.0"));
        assertTrue(cmd.must("ip", "-o", "link", "show", "kbrt").contains(",UP,"));
        // a new pod CIDR rewrites only the masquerade rule
        assertEquals(List.of("LINEN-POSTROUTING rules"), net.ensure("10.244.7.0/24"));
        assertEquals("-N LINEN-POSTROUTING\n"
                + "-A LINEN-POSTROUTING -s 10.244.7.0/24 ! -d 10.244.0.0/16 -j MASQUERADE\n",
                cmd.must("iptables-nft", "-t", "nat", "-S", "LINEN-POSTROUTING"));
    }

    /** Every command a steady-state ensure runs, seen through a logging wrapper in the prefix. */
    @Test
    void anEnsureWithNothingToRepairOnlyReads() throws Exception {
        Path log = dir.resolve("commands.log");
        Path wrapper = dir.resolve("log-and-exec");
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + log + "'\nexec \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Commands logged = new Commands(List.of("ip", "netns", "exec", NODE.netns(), wrapper.toString()));
        NodeNetwork net = new NodeNetwork(logged, NFT, "10.244.0.0/16", "kbrt");
        assertFalse(net.ensure("10.244.1.0/24").isEmpty());
        assertTrue(Files.readString(log).contains("iptables-nft-restore --noflush -w 5\n"), "the fixture logs");
        Files.delete(log);

        assertEquals(List.of(), net.ensure("10.244.1.0/24"));
        assertEquals(List.of(
                "sysctl -n net.ipv4.ip_forward",
                "iptables-nft -w 5 -t filter -S LINEN-FORWARD",
                "iptables-nft -w 5 -t filter -S FORWARD",
                "iptables-nft -w 5 -t nat -S LINEN-POSTROUTING",
                "iptables-nft -w 5 -t nat -S POSTROUTING",
                "ip -o -force -batch -"), Files.readAllLines(log));
    }

    @Test
    void rejectsInputThatCouldReachIptablesRestore() {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, NFT, "10.244.0.0/16", "kbrt");
        assertThrows(IllegalArgumentException.class, () -> net.ensure("10.244.1.0/24\n-A FORWARD -j DROP"));
        assertThrows(IllegalArgumentException.class, () -> net.ensure("10.244.1.1/24"));
        assertThrows(IllegalArgumentException.class, () -> new NodeNetwork(Commands.host(), NFT, "10.244.0.0/16 -j", "kbr0"));
        assertThrows(IllegalArgumentException.class, () -> new NodeNetwork(Commands.host(), NFT, "10.244.0.0", "kbr0"));
        assertFalse(cmd.must("iptables-nft-save").contains("LINEN"), "nothing was changed");
    }
}
