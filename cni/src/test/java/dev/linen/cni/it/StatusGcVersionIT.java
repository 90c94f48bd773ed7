package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VERSION (through libcni), STATUS and GC of CNI 1.1.0 (directly: libcni 1.1.2 predates them). */
class StatusGcVersionIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private CniNode node;

    @AfterEach
    void cleanUp() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void versionThroughLibcni() {
        node = NodeFixture.node(OVS);
        Path conf = node.write("v.conflist", Conflists.bridgeAndLinen(node, new Conflists.Spec("1.0.0", "kv", 5, "", "")));
        Proc p = Proc.run(java.util.List.of("env", "CNI_PATH=" + node.bin + ":" + CniNode.DEBIAN_PLUGINS,
                Repo.cnicall().toString(), "version", conf.toString()), Map.of(), "");
        assertEquals(0, p.exit(), p.describe());
        assertEquals("[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]",
                json(p).get("linen").map(dev.linen.cni.json.Json::write).orElse("none"), "linen's versions: " + p.stdout());
    }

    @Test
    void statusIsReadyWhileOvsdbAnswers() {
        node = NodeFixture.node(OVS);
        String conf = Conflists.linenOnly("1.1.0", node.socket, node.state(), "", "");
        Proc p = node.plugin("STATUS", conf, Map.of());
        assertEquals(0, p.exit(), p.describe());
        assertEquals("", p.stdout().trim());
    }

    /** Over TCP too: the OVSDB server listens on the node's loopback as well (a remote added at run time). */
    @Test
    void statusIsReadyOverTcpWhileOvsdbAnswers() {
        node = NodeFixture.node(OVS);
        Proc.ok("ovs-appctl", "-t", OVS.dir().resolve("ovsdb-server.ctl").toString(), "ovsdb-server/add-remote",
                "ptcp:16640:127.0.0.1");
        try {
            String conf = Conflists.linenOnly("1.1.0", node.socket, node.state(), "", "")
                    .replace("\"ovsdb\":\"" + node.socket + "\"", "\"ovsdb\":\"tcp:127.0.0.1:16640\"");
            Proc p = node.plugin("STATUS", conf, Map.of());
            assertEquals(0, p.exit(), p.describe());
        } finally {
            Proc.run("ovs-appctl", "-t", OVS.dir().resolve("ovsdb-server.ctl").toString(), "ovsdb-server/remove-remote",
                    "ptcp:16640:127.0.0.1");
        }
    }

    @Test
    void statusIsUnavailableWithoutOvsdb() {
        node = NodeFixture.node(OVS);
        String conf = Conflists.linenOnly("1.1.0", node.work.resolve("none/db.sock"), node.state(), "", "");
        assertCniError(node.plugin("STATUS", conf, Map.of()), 50);
    }

    @Test
    void gcSucceedsAndKeepsTheSharedBridge() {
        node = NodeFixture.node(OVS);
        String conf = Conflists.linenOnly("1.1.0", node.socket, node.state(),
                "\"cni.dev/valid-attachments\":[{\"containerID\":\"x\",\"ifname\":\"eth0\"}]", "");
        Proc p = node.plugin("GC", conf, Map.of());
        assertEquals(0, p.exit(), p.describe());
    }

    @Test
    void delWithoutNetnsPrevResultOrBridgeSucceeds() {
        node = NodeFixture.node(OVS);
        String conf = Conflists.linenOnly("1.0.0", node.socket, node.state(), "\"ovsBridge\":\"brnever\"", "");
        for (int i = 0; i < 2; i++) {
            Proc p = node.plugin("DEL", conf, Map.of("CNI_CONTAINERID", "gone", "CNI_IFNAME", "eth0"));
            assertEquals(0, p.exit(), p.describe());
            assertEquals("", p.stdout().trim());
        }
    }

    @Test
    void versionDirectAnswersInTheRequestedVersion() {
        node = NodeFixture.node(OVS);
        Proc p = node.plugin("VERSION", "{\"cniVersion\":\"0.4.0\"}", Map.of());
        assertEquals(0, p.exit(), p.describe());
        assertEquals("0.4.0", json(p).string("cniVersion").orElseThrow());
    }
}
