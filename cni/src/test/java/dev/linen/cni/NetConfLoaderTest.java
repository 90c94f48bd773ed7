package dev.linen.cni;

import dev.linen.ovs.db.VxlanPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.db.OvsdbEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetConfLoaderTest {

    private static String conf(String topLevel, String ovs) {
        return """
            {"cniVersion":"1.0.0","name":"n","type":"linen"%s,
             "runtimeConfig":{"ovs":{%s}}}""".formatted(topLevel, ovs);
    }

    @Test
    void linenKeysUnderRuntimeConfigAreRead() throws CniException {
        OvsSettings s = NetConfLoader.load(conf("", """
            "isMaster":true,"ovsBridge":"br7","vtepIPs":["10.245.2.2","10.245.2.3"],"controller":"192.168.2.100:6653"
            """)).ovs();
        assertTrue(s.isMaster());
        assertEquals("br7", s.ovsBridge());
        assertEquals(List.of("10.245.2.2", "10.245.2.3"), s.vtepIPs());
        assertEquals("tcp:192.168.2.100:6653", s.controller().orElseThrow());
    }

    @Test
    void topLevelKeysWinOverRuntimeConfig() throws CniException {
        OvsSettings s = NetConfLoader.load(conf(",\"ovsBridge\":\"brtop\",\"isMaster\":false",
                "\"ovsBridge\":\"brrt\",\"isMaster\":true")).ovs();
        assertEquals("brtop", s.ovsBridge());
        assertFalse(s.isMaster());
    }

    @Test
    void linuxBridgeIsReadAndValidated() throws CniException {
        assertEquals("kb20", NetConfLoader.load(conf(",\"linuxBridge\":\"kb20\"", "")).ovs().linuxBridge().orElseThrow());
        assertTrue(NetConfLoader.load(conf("", "")).ovs().linuxBridge().isEmpty());
        CniException e = assertThrows(CniException.class, () -> NetConfLoader.load(conf("", "\"linuxBridge\":\"k/b\"")));
        assertEquals(7, e.code());
    }

    @Test
    void defaults() throws CniException {
        OvsSettings s = NetConfLoader.load(conf("", "")).ovs();
        assertEquals("br0", s.ovsBridge());
        assertEquals(Optional.empty(), s.datapathType(), "no default: an existing bridge keeps its type");
        assertEquals(new OvsdbEndpoint.UnixSocket(Path.of("/var/run/openvswitch/db.sock")), s.ovsdb());
        assertTrue(s.vtepIPs().isEmpty());
        assertTrue(s.controller().isEmpty());
        assertTrue(s.mtu().isEmpty());
    }

    @Test
    void settingsKeys() throws CniException {
        OvsSettings s = NetConfLoader.load(conf(
                ",\"datapathType\":\"netdev\",\"ovsdb\":\"/tmp/x/db.sock\",\"mtu\":1450", "")).ovs();
        assertEquals(Optional.of("netdev"), s.datapathType());
        assertEquals(new OvsdbEndpoint.UnixSocket(Path.of("/tmp/x/db.sock")), s.ovsdb());
        assertEquals(1450, s.mtu().getAsInt());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json|6",
        "[1,2]|6",
        "{\"name\":\"x\"}|7",
        "{\"cniVersion\":\"0.2.1\"}|1",
        "{\"cniVersion\":\"2.0.0\"}|1",
        "{\"cniVersion\":\"1.0.0\",\"vtepIPs\":[\"10.1.1\"]}|7",
        "{\"cniVersion\":\"1.0.0\",\"vtepIPs\":[\"example.com\"]}|7",
        "{\"cniVersion\":\"1.0.0\",\"vtepIPs\":\"10.1.1.1\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"ovsBridge\":\"br 0\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"ovsBridge\":\"a-very-long-bridge-name\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"ovsBridge\":\"br/0\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"datapathType\":\"dpdk\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"controller\":\"10.0.0.1\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"controller\":\"10.0.0.1:70000\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"mtu\":100}|7",
        "{\"cniVersion\":\"1.0.0\",\"ovsdb\":\"relative/db.sock\"}|7",
        "{\"cniVersion\":\"1.0.0\",\"prevResult\":[]}|7",
    })
    void badInputGetsTheSpecCode(String stdin, int code) {
        CniException e = assertThrows(CniException.class, () -> NetConfLoader.load(stdin));
        assertEquals(code, e.code(), e.getMessage() + " " + e.details());
    }

    @Test
    void ipv6PeersAreCanonical() throws CniException {
        OvsSettings s = NetConfLoader.load(conf("", "\"vtepIPs\":[\"fd00::12\",\"10.0.0.1\"]")).ovs();
        assertEquals(List.of("fd00:0:0:0:0:0:0:12", "10.0.0.1"), s.vtepIPs());
    }

    @Test
    void controllerTargets() {
        assertEquals("tcp:[::1]:6653", NetConfLoader.controllerTarget("[::1]:6653"));
        assertEquals("tcp:127.0.0.1:6653", NetConfLoader.controllerTarget("tcp:127.0.0.1:6653"));
    }

    @Test
    void vxlanPortNamesFollowLinen() throws Exception {
        assertEquals("vxif10_245_2_3", VxlanPorts.name(("10.245.2.3")));
        String longName = VxlanPorts.name(("192.168.100.200"));
        assertEquals(15, longName.length());
        assertTrue(longName.startsWith("vxif"));
        assertEquals(longName, VxlanPorts.name(("192.168.100.200")));
        assertFalse(longName.equals(VxlanPorts.name(("192.168.100.201"))));
    }
}
