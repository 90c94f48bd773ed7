package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.bridges;
import static dev.linen.cni.it.NodeFixture.json;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conflists of cniVersion 0.1.0 and 0.2.0 through the real libcni, with Debian's bridge and
 * host-local (which speak both) before linen: results of those versions carry no interfaces, so
 * linen is told its Linux bridge ({@code linuxBridge}), and answers in the legacy shape.
 */
class LegacyVersionsIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private CniNode node;

    @AfterEach
    void cleanUp() {
        if (node != null) {
            node.close();
        }
    }

    private Path conflist(String version, String kbr, String br, int octet, boolean withLinuxBridge) {
        return node.write("legacy-" + br + ".conflist", Conflists.bridgeAndLinen(node, new Conflists.Spec(version, kbr,
                octet, withLinuxBridge ? "\"linuxBridge\":\"" + kbr + "\"" : "", "\"ovsBridge\":\"" + br + "\"")));
    }

    @ParameterizedTest(name = "cniVersion {0}")
    @CsvSource({"0.2.0,kb20,ob20,20", "0.1.0,kb01,ob01,21"})
    void addAndDel(String version, String kbr, String br, int octet) {
        node = NodeFixture.node(OVS);
        Path conf = conflist(version, kbr, br, octet, true);
        String pod1 = node.pod("l" + octet);
        String pod2 = node.pod("m" + octet);

        Proc add1 = node.cnicall("add", conf, pod1, "l1-" + br);
        assertEquals(0, add1.exit(), add1.describe());
        JObject result = json(add1);
        assertEquals(version, result.string("cniVersion").orElseThrow());
        JObject ip4 = result.object("ip4").orElseThrow(() -> new AssertionError("an ip4 object: " + add1.stdout()));
        assertTrue(ip4.string("ip").orElseThrow().startsWith("10.244." + octet + "."), add1.stdout());
        assertEquals("10.244." + octet + ".1", ip4.string("gateway").orElseThrow());
        assertFalse(result.get("ips").isPresent() || result.get("interfaces").isPresent(), "legacy shape: " + add1.stdout());
        assertTrue(bridges(node).contains(br), "OVS bridge " + br + " exists");
        assertEquals(kbr, masterOf(node, br), br + " is enslaved to " + kbr);

        Proc add2 = node.cnicall("add", conf, pod2, "l2-" + br);
        assertEquals(0, add2.exit(), add2.describe());
        assertTrue(json(add2).object("ip4").orElseThrow().string("ip").orElseThrow().startsWith("10.244." + octet + "."));

        for (int i = 0; i < 2; i++) {
            Proc del = node.cnicall("del", conf, pod1, "l1-" + br);
            assertEquals(0, del.exit(), "DEL #" + (i + 1) + ": " + del.describe());
        }
        assertEquals(0, node.cnicall("del", conf, pod2, "l2-" + br).exit());
        assertTrue(bridges(node).contains(br), "DEL of a pod leaves the node's bridge");
    }

    @Test
    void withoutLinuxBridgeTheErrorSaysToSetIt() {
        node = NodeFixture.node(OVS);
        Path conf = conflist("0.2.0", "kb29", "ob29", 29, false);
        Proc add = node.cnicall("add", conf, node.pod("l29"), "l29");
        JObject err = assertCniError(add, 7);
        assertTrue(err.toString().contains("linuxBridge"), add.describe());
        assertFalse(bridges(node).contains("ob29"), "nothing set up");
    }
}
