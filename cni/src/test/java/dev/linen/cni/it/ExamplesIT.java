package dev.linen.cni.it;

import dev.linen.ovs.db.VxlanPorts;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static dev.linen.cni.it.NodeFixture.ports;
import static dev.linen.cni.it.NodeFixture.vsctl;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Linen-style conflists in examples/ run as they are, with only what a test node must change:
 * its private OVSDB socket, the netdev datapath (no kernel module here) and scratch directories.
 */
class ExamplesIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private CniNode node;

    @AfterEach
    void cleanUp() {
        node.close();
        vsctl(node, "--if-exists", "del-br", "br0");
        node.exec("ip", "link", "del", "kbr0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "minion1", "minion2"})
    void exampleConflistSetsUpTheNode(String example) throws Exception {
        node = NodeFixture.node(OVS);
        JObject conf = (JObject) Json.parse(Files.readString(Repo.examples().resolve(example + ".conflist")));
        Path file = node.write(example + ".conflist", Json.write(forTestNode(conf)));
        JObject linen = (JObject) conf.array("plugins").orElseThrow().items().get(1);
        JObject ovs = linen.object("runtimeConfig").orElseThrow().object("ovs").orElseThrow();

        Proc add = node.cnicall("add", file, node.pod(example), "ex-" + example);
        assertEquals(0, add.exit(), add.describe());

        String bridge = ovs.string("ovsBridge").orElse("br0");
        String linuxBridge = ((JObject) conf.array("plugins").orElseThrow().items().get(0)).string("bridge").orElseThrow();
        assertEquals(linuxBridge, masterOf(node, bridge));
        List<String> want = new ArrayList<>();
        for (JsonValue v : ovs.array("vtepIPs").orElseThrow().items()) {
            want.add(VxlanPorts.name(((JsonValue.JString) v).value()));
        }
        assertEquals(want.stream().sorted().toList(), ports(node, bridge).stream().sorted().toList());
        String master = Json.write(ovs.get("isMaster").orElseThrow());
        assertEquals(master, vsctl(node, "get", "bridge", bridge, "external_ids:linen-master").replace("\"", ""));
    }

    private JObject forTestNode(JObject conf) {
        List<JsonValue> plugins = new ArrayList<>(conf.array("plugins").orElseThrow().items());
        JObject bridge = (JObject) plugins.get(0);
        JObject ipam = bridge.object("ipam").orElseThrow().with("dataDir", JsonValue.of(node.ipamData().toString()));
        plugins.set(0, bridge.with("ipam", ipam));
        JObject linen = ((JObject) plugins.get(1))
                .with("ovsdb", JsonValue.of(node.socket.toString()))
                .with("datapathType", JsonValue.of("netdev"))
                .with("stateDir", JsonValue.of(node.state().toString()));
        plugins.set(1, linen);
        return conf.with("plugins", new JArray(plugins));
    }
}
