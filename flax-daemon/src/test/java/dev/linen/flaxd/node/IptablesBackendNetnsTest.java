package dev.linen.flaxd.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AUTO against real iptables-legacy and iptables-nft: each test gets a fresh network namespace
 * (iptables state of both backends is per namespace) with the kubelet's hint chain in one backend.
 */
class IptablesBackendNetnsTest {
    private static final String FORWARD_RULE = "-A LINEN-FORWARD -s 10.244.0.0/16 -i kbrt -j ACCEPT";
    private static final String NAT_RULE = "-A LINEN-POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -j MASQUERADE";
    private TestNetns ns;
    private Commands cmd;

    @BeforeEach
    void netns() {
        ns = TestNetns.create("lnt-ipt");
        cmd = ns.cmd();
    }

    @AfterEach
    void removeNetns() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void theHintInLegacyPutsFlaxdsChainsInLegacy() {
        cmd.must("iptables-legacy", "-t", "mangle", "-N", "KUBE-IPTABLES-HINT");
        IptablesBackend b = IptablesBackend.detect(cmd, IptablesMode.AUTO);
        assertEquals(new IptablesBackend(IptablesMode.LEGACY, "the kubelet's KUBE-IPTABLES-HINT chain is in iptables-legacy"), b);
        new NodeNetwork(cmd, b, "10.244.0.0/16", "kbrt").ensure("10.244.1.0/24");
        String legacy = cmd.must("iptables-legacy-save");
        assertTrue(legacy.contains("\n" + FORWARD_RULE + "\n"), legacy);
        assertTrue(legacy.contains("\n" + NAT_RULE + "\n"), legacy);
        assertTrue(legacy.contains("\n-A FORWARD -j LINEN-FORWARD\n"), legacy);
        assertFalse(cmd.must("iptables-nft-save").contains("LINEN"));
    }

    @Test
    void theHintInNftPutsFlaxdsChainsInNft() {
        cmd.must("iptables-nft", "-t", "mangle", "-N", "KUBE-IPTABLES-HINT");
        // more rules in legacy: the hint still decides
        cmd.must("iptables-legacy", "-t", "filter", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT");
        cmd.must("iptables-legacy", "-t", "filter", "-A", "INPUT", "-s", "192.0.2.2", "-j", "ACCEPT");
        IptablesBackend b = IptablesBackend.detect(cmd, IptablesMode.AUTO);
        assertEquals(new IptablesBackend(IptablesMode.NFT, "the kubelet's KUBE-IPTABLES-HINT chain is in iptables-nft"), b);
        new NodeNetwork(cmd, b, "10.244.0.0/16", "kbrt").ensure("10.244.1.0/24");
        String nft = cmd.must("iptables-nft-save");
        assertTrue(nft.contains("\n" + FORWARD_RULE + "\n"), nft);
        assertTrue(nft.contains("\n" + NAT_RULE + "\n"), nft);
        assertFalse(cmd.must("iptables-legacy-save").contains("LINEN"));
    }

    @Test
    void withoutHintsTheBackendWithMoreRulesIsTaken() {
        cmd.must("iptables-legacy", "-t", "filter", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT");
        assertEquals(new IptablesBackend(IptablesMode.LEGACY,
                        "no kubelet chain found; iptables-legacy holds more rules (1 against 0)"),
                IptablesBackend.detect(cmd, IptablesMode.AUTO));
    }
}
