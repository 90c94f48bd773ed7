package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.bridges;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static dev.linen.cni.it.NodeFixture.ports;
import static dev.linen.cni.it.NodeFixture.vsctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose OVS bridge was made before linen ran (here: netdev, with its own fail mode,
 * protocols and controller, as an operator would make it). Linen's own example conflist, which
 * sets no datapath type, keeps all of that; a conflist that does change it and then fails puts the
 * bridge back as it was, ports and attachment included, and says what went wrong.
 */
class ExistingBridgeIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "br0";
    private static final String KBR = "kbr0";

    private CniNode node;

    @BeforeEach
    void operatorMadeTheBridge() {
        node = NodeFixture.node(OVS);
        vsctl(node, "add-br", BR, "--", "set", "bridge", BR, "datapath_type=netdev", "fail_mode=secure",
                "protocols=OpenFlow13", "external_ids:owner=operator");
        vsctl(node, "set-controller", BR, "tcp:127.0.0.1:6999");
        staleTunnel("10.99.0.99");
    }

    @AfterEach
    void cleanUp() {
        node.close();
        vsctl(node, "--if-exists", "del-br", BR);
        vsctl(node, "--if-exists", "del-br", "brerr0");
        node.exec("ip", "link", "del", KBR);
        node.exec("ip", "link", "del", "brerr0");
    }

    @Test
    void exampleConflistKeepsTheBridgesOwnSettings() throws Exception {
        Proc add = node.cnicall("add", example(Map.of()), node.pod("keep"), "keep");
        assertEquals(0, add.exit(), add.describe());
        // the node's first ADD (the full path, OVSDB through the ODL library): libcni passes the
        // plugins' stderr through, and a successful chain says nothing there (once: 3 SLF4J lines)
        assertEquals("", add.stderr(), "stderr of a successful first ADD");

        assertEquals("netdev", vsctl(node, "get", "bridge", BR, "datapath_type"));
        assertEquals("secure", vsctl(node, "get", "bridge", BR, "fail_mode"));
        assertEquals("[OpenFlow13]", vsctl(node, "get", "bridge", BR, "protocols"));
        assertEquals("tcp:127.0.0.1:6999", vsctl(node, "get-controller", BR));
        assertEquals("{linen-master=\"true\", owner=operator}", vsctl(node, "get", "bridge", BR, "external_ids"));
        assertEquals(KBR, masterOf(node, BR));
        assertEquals(List.of("vxif10_99_0_12", "vxif10_99_0_13"), sortedPorts(), "the stale peer is pruned");
    }

    @Test
    void explicitSystemOnANetdevOnlyNodeFailsWithTheCauseAndIsUndone() throws Exception {
        assumeFalse(Files.exists(Path.of("/sys/module/openvswitch")), "needs a node without the OVS kernel module");
        Proc first = node.cnicall("add", example(Map.of()), node.pod("before"), "before");
        assertEquals(0, first.exit(), first.describe());
        staleTunnel("10.99.0.98");
        String columns = bridgeColumns();
        assertEquals(List.of("vxif10_99_0_12", "vxif10_99_0_13", "vxif10_99_0_98"), sortedPorts());

        Path change = example(Map.of("datapathType", JsonValue.of("system"),
                "controller", JsonValue.of("127.0.0.1:7000"),
                "vtepIPs", new JArray(List.of(JsonValue.of("10.99.0.12"), JsonValue.of("10.99.0.14")))));
        long start = System.nanoTime();
        Proc failed = node.cnicall("add", change, node.pod("change"), "change");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        JObject err = assertCniError(failed, 100);
        assertEquals("datapath type system not available on this node", err.string("msg").orElseThrow());
        assertTrue(err.string("details").orElseThrow().contains("openvswitch kernel module is not loaded"), failed.describe());
        assertTrue(tookMillis < 10_000, "answered in " + tookMillis + " ms");

        NodeFixture.await(Duration.ofSeconds(5), () -> node.exec("ip", "link", "show", BR).exit() == 0, BR + " back");
        assertEquals(columns, bridgeColumns(), "datapath type, fail mode, protocols, ids and controller restored");
        assertEquals("netdev", vsctl(node, "get", "bridge", BR, "datapath_type"));
        assertEquals("tcp:127.0.0.1:6999", vsctl(node, "get-controller", BR));
        assertEquals(List.of("vxif10_99_0_12", "vxif10_99_0_13", "vxif10_99_0_98"), sortedPorts(),
                "the port it made is gone, the ones it pruned are back");
        assertEquals("{key=flow, remote_ip=\"10.99.0.98\"}", vsctl(node, "get", "interface", "vxif10_99_0_98", "options"));
        assertEquals(KBR, masterOf(node, BR), "back in the Linux bridge it was in");

        Proc again = node.cnicall("add", example(Map.of()), node.pod("again"), "again");
        assertEquals(0, again.exit(), "the node still works: " + again.describe());
    }

    @Test
    void theInterfaceErrorColumnIsTheMessage() {
        // a veth holding the bridge's name: ovs-vswitchd cannot make its tap and says so in Interface.error
        node.exec("ip", "link", "add", "brerr0", "type", "veth", "peer", "name", "brerr0p");
        Path conf = node.write("err.conflist", Conflists.bridgeAndLinen(node,
                new Conflists.Spec("1.0.0", "kberr", 66, "", "\"ovsBridge\":\"brerr0\"")));
        JObject err = assertCniError(node.cnicall("add", conf, node.pod("err"), "err"), 100);
        assertEquals("OVS could not set up bridge brerr0: could not open network device brerr0 (Invalid argument)",
                err.string("msg").orElseThrow());
        assertFalse(bridges(node).contains("brerr0"), "the bridge it made is removed again");
        assertEquals(0, node.exec("ip", "link", "show", "brerr0").exit(), "the veth is left alone");
        node.exec("ip", "link", "del", "kberr");
    }

    private void staleTunnel(String peer) {
        String port = "vxif" + peer.replace('.', '_');
        vsctl(node, "add-port", BR, port, "--", "set", "interface", port, "type=vxlan",
                "options:remote_ip=" + peer, "options:key=flow");
    }

    private String bridgeColumns() {
        return vsctl(node, "--columns=datapath_type,fail_mode,protocols,external_ids", "list", "bridge", BR)
                + "\n" + vsctl(node, "get-controller", BR);
    }

    private List<String> sortedPorts() {
        return ports(node, BR).stream().sorted().toList();
    }

    /** examples/conflists/master.conflist as it is, pointed at this node, with {@code linen} keys added. */
    private Path example(Map<String, JsonValue> linenKeys) throws Exception {
        JObject conf = (JObject) Json.parse(Files.readString(Repo.examples().resolve("master.conflist")));
        List<JsonValue> plugins = new ArrayList<>(conf.array("plugins").orElseThrow().items());
        JObject bridge = (JObject) plugins.get(0);
        plugins.set(0, bridge.with("ipam", bridge.object("ipam").orElseThrow()
                .with("dataDir", JsonValue.of(node.ipamData().toString()))));
        JObject linen = ((JObject) plugins.get(1)).with("ovsdb", JsonValue.of(node.socket.toString()))
                .with("stateDir", JsonValue.of(node.state().toString()));
        for (Map.Entry<String, JsonValue> e : linenKeys.entrySet()) {
            linen = linen.with(e.getKey(), e.getValue());
        }
        plugins.set(1, linen);
        return node.write("master-" + linenKeys.size() + ".conflist", Json.write(conf.with("plugins", new JArray(plugins))));
    }
}
