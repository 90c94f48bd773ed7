package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.bridges;
import static dev.linen.cni.it.NodeFixture.json;
import static dev.linen.cni.it.NodeFixture.masterOf;
import static dev.linen.cni.it.NodeFixture.ports;
import static dev.linen.cni.it.NodeFixture.vsctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ADD, CHECK and DEL through the real libcni, with Debian's bridge and host-local before linen,
 * on a private OVS (netdev) in a node namespace, for each result shape the spec has had.
 */
class LibcniLifecycleIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private CniNode node;

    @AfterEach
    void cleanUp() {
        if (node != null) {
            node.close();
        }
    }

    private Path conflist(String version, String kbr, String br, int octet) {
        // port names are unique per OVS, so each bridge here gets peers of its own
        String ovs = "\"isMaster\":true,\"ovsBridge\":\"%s\",\"vtepIPs\":[\"10.99.%d.12\",\"10.99.%d.13\"]"
                .formatted(br, octet, octet);
        return node.write("net-" + br + ".conflist", Conflists.bridgeAndLinen(node,
                new Conflists.Spec(version, kbr, octet, "", ovs)));
    }

    @ParameterizedTest(name = "cniVersion {0}")
    @CsvSource({"0.3.1,kb31,ob31,31", "0.4.0,kb40,ob40,40", "1.0.0,kb10,ob10,10"})
    void addCheckDel(String version, String kbr, String br, int octet) {
        node = NodeFixture.node(OVS);
        Path conf = conflist(version, kbr, br, octet);
        String pod1 = node.pod("a" + octet);
        String pod2 = node.pod("b" + octet);

        Proc add1 = node.cnicall("add", conf, pod1, "c1-" + br);
        assertEquals(0, add1.exit(), add1.describe());
        JObject result = json(add1);
        assertEquals(version, result.string("cniVersion").orElseThrow());
        assertEquals(version.startsWith("0."), add1.stdout().contains("\"version\""), "IP shape of " + version);
        assertTrue(result.array("ips").orElseThrow().items().size() == 1, add1.stdout());

        assertTrue(bridges(node).contains(br), "OVS bridge " + br + " exists");
        assertEquals("netdev", vsctl(node, "get", "bridge", br, "datapath_type"));
        assertEquals(kbr, masterOf(node, br), br + " is enslaved to " + kbr);
        String peer12 = "vxif10_99_" + octet + "_12";
        String peer13 = "vxif10_99_" + octet + "_13";
        assertEquals(List.of(peer12, peer13), ports(node, br).stream().sorted().toList());
        assertEquals("{key=flow, remote_ip=\"10.99." + octet + ".12\"}", vsctl(node, "get", "interface", peer12, "options"));
        assertEquals("vxlan", vsctl(node, "get", "interface", peer13, "type"));

        Proc add2 = node.cnicall("add", conf, pod2, "c2-" + br);
        assertEquals(0, add2.exit(), add2.describe());
        assertEquals(1, bridges(node).stream().filter(br::equals).count());
        String ip2 = json(add2).array("ips").orElseThrow().items().get(0).toString();
        assertTrue(ip2.contains("10.244." + octet + "."), ip2);

        checkAndRepair(version, conf, pod1, br, "vxif10_99_" + octet + "_13");
        deleteTwiceAndWithoutNetns(conf, pod1, pod2, br);
        peersFollowTheConfig(version, kbr, br, octet);
    }

    /** A peer dropped from vtepIPs loses its port at the next ADD; a new one gets its port. */
    private void peersFollowTheConfig(String version, String kbr, String br, int octet) {
        String ovs = "\"isMaster\":true,\"ovsBridge\":\"%s\",\"vtepIPs\":[\"10.99.%d.13\",\"10.99.%d.14\"]"
                .formatted(br, octet, octet);
        Path changed = node.write("changed-" + br + ".conflist", Conflists.bridgeAndLinen(node,
                new Conflists.Spec(version, kbr, octet, "", ovs)));
        Proc add = node.cnicall("add", changed, node.pod("c" + octet), "c4-" + br);
        assertEquals(0, add.exit(), add.describe());
        assertEquals(List.of("vxif10_99_" + octet + "_13", "vxif10_99_" + octet + "_14"),
                ports(node, br).stream().sorted().toList());
    }

    private void checkAndRepair(String version, Path conf, String pod1, String br, String peer) {
        if (version.startsWith("0.3")) {
            return; // CHECK does not exist before 0.4.0
        }
        Proc ok = node.cnicall("check", conf, pod1, "c1-" + br);
        assertEquals(0, ok.exit(), ok.describe());

        vsctl(node, "del-port", br, peer);
        Proc bad = node.cnicall("check", conf, pod1, "c1-" + br);
        JObject err = assertCniError(bad, 101);
        assertTrue(err.toString().contains(peer), "CHECK names the missing port: " + bad.describe());

        // after a failed CHECK, the next ADD sets the node up again instead of trusting its record
        String pod3 = node.pod("r" + br);
        Proc add3 = node.cnicall("add", conf, pod3, "c3-" + br);
        assertEquals(0, add3.exit(), add3.describe());
        assertTrue(ports(node, br).contains(peer), "port restored");
        assertEquals(0, node.cnicall("check", conf, pod1, "c1-" + br).exit());
    }

    private void deleteTwiceAndWithoutNetns(Path conf, String pod1, String pod2, String br) {
        for (int i = 0; i < 2; i++) {
            Proc del = node.cnicall("del", conf, pod1, "c1-" + br);
            assertEquals(0, del.exit(), "DEL #" + (i + 1) + ": " + del.describe());
        }
        node.removePod(pod2);
        Proc del = node.cnicall("del", conf, pod2, "c2-" + br);
        assertEquals(0, del.exit(), "DEL after the netns is gone: " + del.describe());
        assertTrue(bridges(node).contains(br), "DEL of a pod leaves the node's bridge");
    }
}
