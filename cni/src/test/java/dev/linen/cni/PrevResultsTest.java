package dev.linen.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrevResultsTest {
    private static final String PREV = """
        {"cniVersion":"0.4.0","interfaces":[{"name":"kbr0","mac":"aa"},{"name":"veth1","mac":"bb"},
         {"name":"eth0","mac":"cc","sandbox":"/var/run/netns/p"}],
         "ips":[{"version":"4","interface":2,"address":"10.244.1.10/16","gateway":"10.244.1.1"}],
         "routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""";

    @Test
    void findsTheLinuxBridgeAmongHostInterfaces(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kbr0/bridge"));
        Files.createDirectories(sys.resolve("veth1"));
        assertEquals("kbr0", PrevResults.linuxBridge((JObject) Json.parse(PREV), new SysNet(sys)));
    }

    @Test
    void noBridgeIsAConfigError(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("veth1"));
        CniException e = assertThrows(CniException.class,
                () -> PrevResults.linuxBridge((JObject) Json.parse(PREV), new SysNet(sys)));
        assertEquals(7, e.code());
    }

    @Test
    void reshapesIpsPerVersionAndKeepsTheRest() throws Exception {
        JObject prev = (JObject) Json.parse(PREV);
        JObject v1 = PrevResults.reshape(prev, "1.0.0");
        assertEquals("{\"interface\":2,\"address\":\"10.244.1.10/16\",\"gateway\":\"10.244.1.1\"}",
                Json.write(v1.array("ips").orElseThrow().items().get(0)));
        assertEquals("1.0.0", v1.string("cniVersion").orElseThrow());
        JObject back = PrevResults.reshape(v1, "0.3.1");
        assertEquals(Json.write(prev.without("cniVersion")), Json.write(back.without("cniVersion")));
        assertEquals(Json.write(prev.get("routes").orElseThrow()), Json.write(v1.get("routes").orElseThrow()));
    }
}
