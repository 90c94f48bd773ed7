package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlaxdConfigTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("NODE_NAME", "node-1", "FLAXD_CLUSTER_CIDR", "10.244.0.0/16"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaults() {
        FlaxdConfig c = FlaxdConfig.fromEnv(env());
        assertEquals("br0", c.tunnels().bridge());
        assertEquals(TunnelMode.FLOW, c.tunnels().mode());
        assertEquals(4789, c.tunnels().udpPort());
        assertEquals("system", c.datapathType());
        assertEquals(new OvsdbEndpoint.UnixSocket(Path.of("/var/run/openvswitch/db.sock")), c.ovsdb());
        assertEquals("10.244.0.0/16", c.clusterCidr());
        assertEquals(9753, c.http().getPort());
        assertEquals(dev.linen.flaxd.node.IptablesMode.AUTO, c.iptables());
        assertEquals("tcp:127.0.0.1:6653", FlaxdConfig.controllerTarget(c.openflow()));
        assertEquals(java.util.Optional.of(Path.of("/run/linen/flaxd/api.sock")), c.api());
    }

    @Test
    void theLocalApiCanBeMovedOrTurnedOff() {
        assertEquals(java.util.Optional.of(Path.of("/run/x/api.sock")), FlaxdConfig.fromEnv(env("FLAXD_API", "/run/x/api.sock")).api());
        assertEquals(java.util.Optional.empty(), FlaxdConfig.fromEnv(env("FLAXD_API", "off")).api());
    }

    @Test
    void settings() {
        FlaxdConfig c = FlaxdConfig.fromEnv(env("FLAXD_TUNNEL_MODE", "per-node", "FLAXD_VNI", "42",
                "FLAXD_VXLAN_PORT", "8472", "FLAXD_DATAPATH_TYPE", "netdev", "FLAXD_OVSDB", "tcp:127.0.0.1:6640"));
        assertEquals(TunnelMode.PER_NODE, c.tunnels().mode());
        assertEquals(42, c.tunnels().vni().getAsLong());
        assertEquals(8472, c.tunnels().udpPort());
        assertEquals(new OvsdbEndpoint.Tcp("127.0.0.1", 6640), c.ovsdb());
    }

    @ParameterizedTest
    @CsvSource({"FLAXD_TUNNEL_MODE,mesh", "FLAXD_VNI,16777216", "FLAXD_VXLAN_PORT,0", "FLAXD_DATAPATH_TYPE,dpdk",
        "FLAXD_BRIDGE,br/0", "FLAXD_HTTP,9753", "NODE_NAME,''",
        "FLAXD_OPENFLOW,0.0.0.0:6653", "FLAXD_OPENFLOW,10.99.0.11:6653", "FLAXD_OPENFLOW,6653",
        "FLAXD_CLUSTER_CIDR,''", "FLAXD_CLUSTER_CIDR,10.244.0.0/33", "FLAXD_HTTP,0.0.0.0:9753",
        "FLAXD_HTTP,10.99.0.11:9753", "FLAXD_HTTP_ALLOW_NON_LOOPBACK,yes", "FLAXD_IPTABLES,iptables",
        "FLAXD_API,api.sock", "FLAXD_API,/api.sock"})
    void badSettingsAreRefused(String key, String value) {
        assertThrows(IllegalArgumentException.class, () -> FlaxdConfig.fromEnv(env(key, value)));
    }

    @Test
    void nonLoopbackHttpOnlyWhenAllowed() {
        FlaxdConfig c = FlaxdConfig.fromEnv(env("FLAXD_HTTP", "0.0.0.0:9753", "FLAXD_HTTP_ALLOW_NON_LOOPBACK", "true"));
        assertEquals("0.0.0.0", c.http().getAddress().getHostAddress());
    }

    @Test
    void clusterCidrIsRequired() {
        Map<String, String> e = env();
        e.remove("FLAXD_CLUSTER_CIDR");
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> FlaxdConfig.fromEnv(e));
        org.junit.jupiter.api.Assertions.assertTrue(x.getMessage().contains("FLAXD_CLUSTER_CIDR is not set"), x.getMessage());
    }
}
