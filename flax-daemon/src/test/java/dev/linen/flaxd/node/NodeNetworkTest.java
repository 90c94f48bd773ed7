package dev.linen.flaxd.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.testing.PrivateOvsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Forwarding, masquerade and route, inside a test-made network namespace (never the host's). */
class NodeNetworkTest {
    @RegisterExtension
    static final PrivateOvsExtension NODE = new PrivateOvsExtension();

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.equals(line)).count();
    }

    @Test
    void ensureIsIdempotentAndUninstallRemovesEverything() {
        Commands cmd = Commands.inNetns(NODE.netns());
        NodeNetwork net = new NodeNetwork(cmd, "10.244.0.0/16", "kbrt");
        net.ensure("10.244.1.0/24");
        net.ensure("10.244.1.0/24");
        String filter = cmd.must("iptables-save", "-t", "filter");
        String nat = cmd.must("iptables-save", "-t", "nat");
        assertEquals(1, count(filter, "-A FORWARD -j LINEN-FORWARD"), filter);
        assertEquals(1, count(filter, "-A LINEN-FORWARD -s 10.244.0.0/16 -j ACCEPT"), filter);
        assertEquals(1, count(nat, "-A POSTROUTING -j LINEN-POSTROUTING"), nat);
        assertEquals(1, count(nat, "-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE"), nat);
        assertEquals("1", cmd.must("sysctl", "-n", "net.ipv4.ip_forward").trim());
        assertTrue(cmd.must("ip", "route", "show", "10.244.0.0/16").contains("dev kbrt"));

        net.uninstall();
        net.uninstall();
        assertFalse(cmd.must("iptables-save", "-t", "filter").contains("LINEN"));
        assertFalse(cmd.must("iptables-save", "-t", "nat").contains("LINEN"));
        assertEquals("", cmd.must("ip", "route", "show", "10.244.0.0/16").trim());
    }

    @Test
    void rejectsInputThatCouldReachIptablesRestore() {
        NodeNetwork net = new NodeNetwork(Commands.inNetns(NODE.netns()), "10.244.0.0/16", "kbrt");
        assertThrows(IllegalArgumentException.class, () -> net.ensure("10.244.1.0/24\n-A FORWARD -j DROP"));
        assertThrows(IllegalArgumentException.class, () -> new NodeNetwork(Commands.host(), "10.244.0.0/16 -j", "kbr0"));
    }
}
