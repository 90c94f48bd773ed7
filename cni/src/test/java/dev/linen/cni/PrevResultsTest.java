package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrevResultsTest {
    private static final String PREV = """
        {"cniVersion":"0.4.0","interfaces":[{"name":"kbr0","mac":"aa"},{"name":"veth1","mac":"bb"},
         {"name":"eth0","mac":"cc","sandbox":"/var/run/netns/p"}],
         "ips":[{"version":"4","interface":2,"address":"10.244.1.10/16","gateway":"10.244.1.1"}],
         "routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""";

    /** A dual-stack 1.0.0 result: two addresses per family, routes of both families, DNS. */
    private static final String DUAL = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"kbr0","mac":"aa"},{"name":"eth0","sandbox":"/x"}],
         "ips":[{"interface":1,"address":"10.244.1.10/24","gateway":"10.244.1.1"},
                {"interface":1,"address":"fd00::10/64","gateway":"fd00::1"},
                {"interface":1,"address":"10.244.9.10/24"},
                {"interface":1,"address":"fd00:9::10/64"}],
         "routes":[{"dst":"0.0.0.0/0","gw":"10.244.1.1"},{"dst":"::/0"},{"dst":"10.96.0.0/12","mtu":1400}],
         "dns":{"nameservers":["10.96.0.10"],"search":["svc.cluster.local"]}}""";

    private static final String LEGACY = """
        {"cniVersion":"0.2.0","ip4":{"ip":"10.244.2.10/24","gateway":"10.244.2.1",
           "routes":[{"dst":"0.0.0.0/0"},{"dst":"10.96.0.0/12","gw":"10.244.2.1"}]},
         "ip6":{"ip":"fd00::10/64","routes":[{"dst":"::/0","gw":"fd00::1"}]},"dns":{"nameservers":["10.96.0.10"]}}""";

    @Test
    void findsTheLinuxBridgeAmongHostInterfaces(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kbr0/bridge"));
        Files.createDirectories(sys.resolve("veth1"));
        assertEquals("kbr0", PrevResults.linuxBridge(parse(PREV), Optional.empty(), new SysNet(sys)));
    }

    @Test
    void noBridgeIsAConfigError(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("veth1"));
        CniException e = assertThrows(CniException.class,
                () -> PrevResults.linuxBridge(parse(PREV), Optional.empty(), new SysNet(sys)));
        assertEquals(7, e.code());
    }

    @Test
    void configuredLinuxBridgeServesALegacyResult(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kb20/bridge"));
        assertEquals("kb20", PrevResults.linuxBridge(parse(LEGACY), Optional.of("kb20"), new SysNet(sys)));
        CniException notABridge = assertThrows(CniException.class,
                () -> PrevResults.linuxBridge(parse(LEGACY), Optional.of("kb21"), new SysNet(sys)));
        assertEquals(7, notABridge.code());
        CniException unset = assertThrows(CniException.class,
                () -> PrevResults.linuxBridge(parse(LEGACY), Optional.empty(), new SysNet(sys)));
        assertEquals(7, unset.code());
        assertTrue(unset.details().contains("set linuxBridge"), unset.details());
    }

    @Test
    void reshapesIpsPerVersionAndKeepsTheRest() throws Exception {
        JObject prev = parse(PREV);
        JObject v1 = PrevResults.reshape(prev, "1.0.0");
        assertEquals("{\"interface\":2,\"address\":\"10.244.1.10/16\",\"gateway\":\"10.244.1.1\"}",
                Json.write(v1.array("ips").orElseThrow().items().get(0)));
        assertEquals("1.0.0", v1.string("cniVersion").orElseThrow());
        JObject back = PrevResults.reshape(v1, "0.3.1");
        assertEquals(Json.write(prev.without("cniVersion")), Json.write(back.without("cniVersion")));
        assertEquals(Json.write(prev.get("routes").orElseThrow()), Json.write(v1.get("routes").orElseThrow()));
    }

    @Test
    void sameVersionPassesThroughUnchanged() throws Exception {
        String compact = Json.write(parse(DUAL));
        assertEquals(compact, Json.write(PrevResults.reshape(parse(DUAL), "1.0.0")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1.0", "0.2.0"})
    void currentToLegacyKeepsTheFirstAddressPerFamilyAndRoutesByFamily(String version) throws Exception {
        assertEquals("{\"cniVersion\":\"" + version + "\","
                + "\"ip4\":{\"ip\":\"10.244.1.10/24\",\"gateway\":\"10.244.1.1\","
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.244.1.1\"},{\"dst\":\"10.96.0.0/12\"}]},"
                + "\"ip6\":{\"ip\":\"fd00::10/64\",\"gateway\":\"fd00::1\",\"routes\":[{\"dst\":\"::/0\"}]},"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"search\":[\"svc.cluster.local\"]}}",
                Json.write(PrevResults.reshape(parse(DUAL), version)));
    }

    @Test
    void currentToLegacyOfAnIpv4OnlyResult() throws Exception {
        assertEquals("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.244.1.10/16\",\"gateway\":\"10.244.1.1\","
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]},\"dns\":{}}",
                Json.write(PrevResults.reshape(parse(PREV), "0.2.0")));
    }

    @Test
    void legacyToCurrent() throws Exception {
        assertEquals("{\"cniVersion\":\"1.0.0\","
                + "\"ips\":[{\"address\":\"10.244.2.10/24\",\"gateway\":\"10.244.2.1\"},{\"address\":\"fd00::10/64\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.96.0.0/12\",\"gw\":\"10.244.2.1\"},"
                + "{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}],"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"]}}",
                Json.write(PrevResults.reshape(parse(LEGACY), "1.0.0")));
        assertEquals("{\"cniVersion\":\"0.4.0\","
                + "\"ips\":[{\"version\":\"4\",\"address\":\"10.244.2.10/24\",\"gateway\":\"10.244.2.1\"},"
                + "{\"version\":\"6\",\"address\":\"fd00::10/64\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.96.0.0/12\",\"gw\":\"10.244.2.1\"},"
                + "{\"dst\":\"::/0\",\"gw\":\"fd00::1\"}],"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"]}}",
                Json.write(PrevResults.reshape(parse(LEGACY), "0.4.0")));
    }

    @Test
    void legacyToLegacyKeepsTheContent() throws Exception {
        String expected = Json.write(parse(LEGACY)).replace("\"0.2.0\"", "\"0.1.0\"");
        assertEquals(expected, Json.write(PrevResults.reshape(parse(LEGACY), "0.1.0")));
        assertTrue(PrevResults.isLegacy(parse(LEGACY)));
        assertFalse(PrevResults.isLegacy(parse(PREV)));
        assertTrue(PrevResults.isLegacy(parse("{\"ip4\":{\"ip\":\"10.0.0.2/8\"}}")), "no cniVersion: by its keys");
    }

    @Test
    void aLegacyResultNeedsAnAddress() throws Exception {
        CniException e = assertThrows(CniException.class, () -> PrevResults.reshape(
                parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kbr0\"}],\"ips\":[],\"dns\":{}}"), "0.2.0"));
        assertEquals(7, e.code());
    }

    private static JObject parse(String json) throws JsonException {
        return (JObject) Json.parse(json);
    }
}
