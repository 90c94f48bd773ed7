package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.bridges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input gets a CNI error object on stdout, a non-zero exit, and leaves nothing made: no OVS
 * bridge, no record of a setup. Through libcni where libcni can carry the input, directly where
 * libcni itself would refuse it.
 */
class BadInputIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private static final Map<String, String> POD_ENV = Map.of("CNI_CONTAINERID", "bad-input",
            "CNI_NETNS", "/var/run/netns/none", "CNI_IFNAME", "eth0");
    private static final String PREV = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"knotabridge"}],"ips":[]}""";

    private CniNode node;

    @BeforeEach
    void setUp() {
        node = NodeFixture.node(OVS);
    }

    @AfterEach
    void nothingHalfMade() throws IOException {
        node.close();
        assertEquals(java.util.List.of(), bridges(node), "no OVS bridge may be left behind");
        if (Files.isDirectory(node.state())) {
            try (Stream<Path> files = Files.list(node.state())) {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(".setup")), "no setup may be recorded");
            }
        }
    }

    private Proc chain(String linenTop, String ovs) {
        Path conf = node.write("bad.conflist", Conflists.bridgeAndLinen(node,
                new Conflists.Spec("1.0.0", "kbad", 77, linenTop, ovs)));
        return node.cnicall("add", conf, node.pod("bad"), "bad-input");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "vtepIP that is not an IP|\"vtepIPs\":[\"10.99.0.300\"]|7",
        "vtepIP that is a host name|\"vtepIPs\":[\"node-2.example\"]|7",
        "bridge name with a slash|\"ovsBridge\":\"br/0\"|7",
        "bridge name too long|\"ovsBridge\":\"bridge-name-too-long\"|7",
        "controller that is not ip:port|\"controller\":\"ctl; reboot\"|7",
    })
    void badLinenSettingsThroughLibcni(String what, String ovs, int code) {
        assertCniError(chain("", ovs), code);
    }

    @Test
    void unknownDatapathType() {
        assertCniError(chain("\"datapathType\":\"dpdk\"", ""), 7);
    }

    @Test
    void ovsdbSocketAbsentIsTryAgainLater() {
        Path absent = node.work.resolve("no-such-ovs/db.sock");
        assertCniError(chain("\"ovsdb\":\"" + absent + "\"", ""), 11);
    }

    @Test
    void missingPrevResult() {
        Path conf = node.write("alone.conflist", """
            {"cniVersion":"1.0.0","name":"alone","plugins":[{"type":"linen","ovsdb":"%s","datapathType":"netdev",
             "stateDir":"%s"}]}""".formatted(node.socket, node.state()));
        assertCniError(node.cnicall("add", conf, node.pod("alone"), "alone"), 7);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON|{\"cniVersion\":\"1.0.0\",|6",
        "not an object|[\"cniVersion\"]|6",
        "unsupported cniVersion|{\"cniVersion\":\"0.5.0\",\"name\":\"x\",\"type\":\"linen\"}|1",
        "future cniVersion|{\"cniVersion\":\"2.0.0\",\"name\":\"x\",\"type\":\"linen\"}|1",
    })
    void undecodableConfigDirect(String what, String stdin, int code) {
        assertCniError(node.plugin("ADD", stdin, POD_ENV), code);
    }

    @Test
    void missingEnvironmentIsInvalidEnv() {
        String conf = Conflists.linenOnly("1.0.0", node.socket, node.state(), "", PREV);
        assertCniError(node.plugin("ADD", conf, Map.of("CNI_IFNAME", "eth0")), 4);
    }

    @Test
    void prevResultWithoutALinuxBridge() {
        String conf = Conflists.linenOnly("1.0.0", node.socket, node.state(), "", PREV);
        assertCniError(node.plugin("ADD", conf, POD_ENV), 7);
    }

    /** A setup that fails half-way is rolled back: the kernel datapath is absent on this machine. */
    @Test
    void failedSetupIsRolledBack() {
        assumeFalse(Files.exists(Path.of("/sys/module/openvswitch")), "needs a machine without the OVS kernel module");
        assertCniError(chain("\"datapathType\":\"system\"", "\"vtepIPs\":[\"10.99.0.12\"]"), 100);
    }
}
