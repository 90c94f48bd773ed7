package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plugin started with an empty environment ({@code env -i}: no locale, as a runtime may start
 * plugins) reads and writes UTF-8: a result carrying non-ASCII text comes back byte for byte.
 */
class Utf8ResultIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private static final Map<String, String> POD = Map.of("CNI_CONTAINERID", "utf8", "CNI_NETNS",
            "/var/run/netns/none", "CNI_IFNAME", "eth0");
    /** Compact, in the writer's order and in the config's version: what comes back must be equal. */
    private static final String PREV = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kbu8\",\"mac\":\"0a:58:\u00e9\"},"
            + "{\"name\":\"veth\u00fc\",\"mac\":\"\u00df\u00f1\"},{\"name\":\"eth0\u00e9\ud83d\ude00\",\"mac\":\"0a:58:0a:f4:01:03\","
            + "\"sandbox\":\"/var/run/netns/p\u00f6d\"}],\"ips\":[{\"interface\":2,\"address\":\"10.244.88.10/24\","
            + "\"gateway\":\"10.244.88.1\"}],\"dns\":{\"domain\":\"\u00fcn\u00ef.example\",\"search\":[\"\u65e5\u672c.example\"]}}";

    private CniNode node;

    @BeforeEach
    void setUp() {
        node = NodeFixture.node(OVS);
        NodeFixture.addLinuxBridge(node, "kbu8", true);
    }

    @AfterEach
    void cleanUp() {
        NodeFixture.removeBridges(node, "kbu8", "bru8");
        node.close();
    }

    @Test
    void nonAsciiInPrevResultComesBackByteForByte() {
        String conf = Conflists.linenOnly("1.0.0", node.socket, node.state(), "\"ovsBridge\":\"bru8\"", PREV);
        for (String path : new String[] {"full path", "steady state"}) {
            Proc add = node.pluginWithEmptyEnvironment("ADD", conf, POD);
            assertEquals(0, add.exit(), path + ": " + add.describe());
            // under env -i too: the first ADD (the OVSDB libraries) and the steady state say nothing
            assertEquals("", add.stderr(), path + ": stderr of a successful ADD");
            assertArrayEquals(PREV.getBytes(StandardCharsets.UTF_8), add.stdout().getBytes(StandardCharsets.UTF_8),
                    path + ": the result is prevResult's content as UTF-8: " + add.stdout());
        }
        assertEquals("kbu8", masterOf(node, "bru8"));
    }

    @Test
    void anErrorNamingNonAsciiTextIsUtf8Too() {
        String prev = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kbr\u00e9\"}],\"ips\":[]}";
        Proc add = node.pluginWithEmptyEnvironment("ADD",
                Conflists.linenOnly("1.0.0", node.socket, node.state(), "", prev), POD);
        JObject err = assertCniError(add, 7);
        assertTrue(err.string("details").orElse("").contains("kbr\u00e9"), add.describe());
    }
}
