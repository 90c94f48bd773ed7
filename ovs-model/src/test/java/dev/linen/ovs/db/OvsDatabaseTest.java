package dev.linen.ovs.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OVSDB operations against a real, private ovsdb-server + ovs-vswitchd. */
class OvsDatabaseTest {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static OvsDatabase connect() {
        return OvsDatabases.connect(new OvsdbEndpoint.UnixSocket(OVS.socket()), TIMEOUT);
    }

    private static BridgeSpec spec(String name, String controller) {
        return new BridgeSpec(name, "netdev", Optional.of("secure"), Set.of("OpenFlow13"),
                Map.of("owner", "linen-test"), Optional.ofNullable(controller));
    }

    @Test
    void ensureBridgeCreatesItOnceWithItsSettings() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(spec("tb1", "tcp:127.0.0.1:6653"));
            String first = OVS.vsctl("--columns=name,datapath_type,fail_mode,protocols,external_ids", "list", "bridge", "tb1");
            db.ensureBridge(spec("tb1", "tcp:127.0.0.1:6653"));
            assertEquals(first, OVS.vsctl("--columns=name,datapath_type,fail_mode,protocols,external_ids", "list", "bridge", "tb1"));
            assertEquals("netdev", OVS.vsctl("get", "bridge", "tb1", "datapath_type"));
            assertEquals("secure", OVS.vsctl("get", "bridge", "tb1", "fail_mode"));
            assertEquals("[OpenFlow13]", OVS.vsctl("get", "bridge", "tb1", "protocols"));
            assertEquals("linen-test", OVS.vsctl("get", "bridge", "tb1", "external_ids:owner"));
            assertEquals("tb1", OVS.vsctl("list-ports", "tb1").isEmpty() ? "tb1" : "extra ports");
            assertEquals("internal", OVS.vsctl("get", "interface", "tb1", "type"));
            BridgeInfo info = db.bridge("tb1").orElseThrow();
            assertEquals(List.of("tcp:127.0.0.1:6653"), info.controllers());
            assertEquals("netdev", info.datapathType());
        }
    }

    @Test
    void controllerIsReplacedToExactlyOneRow() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(spec("tb2", "tcp:127.0.0.1:6001"));
            db.ensureBridge(spec("tb2", "tcp:127.0.0.1:6002"));
            db.ensureBridge(spec("tb2", "tcp:127.0.0.1:6002"));
            assertEquals("tcp:127.0.0.1:6002", OVS.vsctl("get-controller", "tb2"));
            assertEquals(List.of("tcp:127.0.0.1:6002"), db.bridge("tb2").orElseThrow().controllers());
        }
    }

    @Test
    void externalIdsAreMergedNotReplaced() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(spec("tb3", null));
            OVS.vsctl("set", "bridge", "tb3", "external_ids:other=kept");
            db.ensureBridge(new BridgeSpec("tb3", "netdev", Optional.empty(), Set.of(), Map.of("round", "2"), Optional.empty()));
            Map<String, String> ids = db.bridge("tb3").orElseThrow().externalIds();
            assertEquals(Map.of("owner", "linen-test", "other", "kept", "round", "2"), ids);
        }
    }

    @Test
    void updateBridgePutsBackWhatWasRead() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(spec("tb8", "tcp:127.0.0.1:6010"));
            BridgeInfo before = db.bridge("tb8").orElseThrow();
            OVS.vsctl("set", "bridge", "tb8", "datapath_type=system", "fail_mode=standalone",
                    "protocols=OpenFlow10", "external_ids:extra=1");
            OVS.vsctl("set-controller", "tb8", "tcp:127.0.0.1:6011", "tcp:127.0.0.1:6012");
            db.updateBridge(before);
            assertEquals("netdev", OVS.vsctl("get", "bridge", "tb8", "datapath_type"));
            assertEquals("secure", OVS.vsctl("get", "bridge", "tb8", "fail_mode"));
            assertEquals("[OpenFlow13]", OVS.vsctl("get", "bridge", "tb8", "protocols"));
            assertEquals("{owner=linen-test}", OVS.vsctl("get", "bridge", "tb8", "external_ids"));
            assertEquals("tcp:127.0.0.1:6010", OVS.vsctl("get-controller", "tb8"));
            long sent = db.transactions();
            db.updateBridge(before);
            assertEquals(sent + 1, db.transactions(), "nothing differs: one read, no write");

            db.updateBridge(new BridgeInfo("tb8", "", Optional.empty(), Set.of(), Map.of(), List.of()));
            assertEquals("\"\"", OVS.vsctl("get", "bridge", "tb8", "datapath_type"));
            assertEquals("[]", OVS.vsctl("get", "bridge", "tb8", "fail_mode"));
            assertEquals("[]", OVS.vsctl("get", "bridge", "tb8", "protocols"));
            assertEquals("{}", OVS.vsctl("get", "bridge", "tb8", "external_ids"));
            assertEquals("", OVS.vsctl("get-controller", "tb8"));
        }
    }

    @Test
    void vswitchdConfirmsTheConfigAndWritesInterfaceErrors() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(BridgeSpec.of("tb9", "netdev"));
            OVS.vsctl("--no-wait", "add-port", "tb9", "tbnodev9");
            long cfg = db.requestConfig();
            assertEquals(cfg, Long.parseLong(OVS.vsctl("get", "open_vswitch", ".", "next_cfg")));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!db.configApplied(cfg)) {
                assertTrue(System.nanoTime() < deadline, "ovs-vswitchd never applied cfg " + cfg);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            assertEquals(Optional.of("could not open network device tbnodev9 (No such device)"),
                    db.interfaceError("tbnodev9"));
            assertEquals(Optional.empty(), db.interfaceError("tb9"));
            assertEquals(Optional.empty(), db.interfaceError("tbabsent9"));
        }
    }

    @Test
    void vxlanAndInternalPortsWithExactOptions() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(BridgeSpec.of("tb4", "netdev"));
            db.ensureVxlanPort("tb4", new VxlanPortSpec("vxif10_99_0_12", Map.of("remote_ip", "10.99.0.12", "key", "flow")));
            db.ensureVxlanPort("tb4", new VxlanPortSpec("vxif10_99_0_12", Map.of("remote_ip", "10.99.0.12", "key", "flow")));
            db.ensureInternalPort("tb4", "tb4gw");
            assertEquals("{key=flow, remote_ip=\"10.99.0.12\"}", OVS.vsctl("get", "interface", "vxif10_99_0_12", "options"));
            assertEquals("true", OVS.vsctl("get", "port", "vxif10_99_0_12", "protected"), "tunnels are split-horizon");
            assertEquals("false", OVS.vsctl("get", "port", "tb4gw", "protected"));
            db.ensureVxlanPort("tb4", new VxlanPortSpec("vxif10_99_0_12", Map.of("remote_ip", "10.99.0.13")));
            assertEquals("{remote_ip=\"10.99.0.13\"}", OVS.vsctl("get", "interface", "vxif10_99_0_12", "options"));
            assertEquals("tb4gw\nvxif10_99_0_12", OVS.vsctl("list-ports", "tb4"));
            List<PortInfo> ports = db.listPorts("tb4");
            assertEquals(List.of("tb4", "tb4gw", "vxif10_99_0_12"), ports.stream().map(PortInfo::name).toList());
            assertEquals("vxlan", ports.get(2).type());
            assertEquals(Map.of("remote_ip", "10.99.0.13"), ports.get(2).options());
            awaitOfport(db, "tb4gw");
        }
    }

    @Test
    void deletesAreIdempotent() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(BridgeSpec.of("tb5", "netdev"));
            db.ensureVxlanPort("tb5", new VxlanPortSpec("vxtb5", Map.of("remote_ip", "10.99.0.12")));
            db.deletePort("tb5", "vxtb5");
            db.deletePort("tb5", "vxtb5");
            db.deletePort("no-such-br", "vxtb5");
            assertEquals("", OVS.vsctl("list-ports", "tb5"));
            db.deleteBridge("tb5");
            db.deleteBridge("tb5");
            assertTrue(db.bridge("tb5").isEmpty());
            assertEquals(2, OVS.exec(List.of("ovs-vsctl", "--db=unix:" + OVS.socket(), "br-exists", "tb5")).exit(),
                    "ovs-vsctl br-exists says the bridge is gone");
        }
    }

    @Test
    void manyPortsInOneTransaction() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(BridgeSpec.of("tb6", "netdev"));
            List<VxlanPortSpec> specs = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                specs.add(new VxlanPortSpec("vxtb6p" + i, Map.of("remote_ip", "10.97.0." + i, "key", "flow")));
            }
            long before = db.transactions();
            db.ensureVxlanPorts("tb6", specs);
            assertEquals(2, db.transactions() - before, "one read, one write for 50 ports");
            assertEquals(50, OVS.vsctl("list-ports", "tb6").lines().count());
            db.ensureVxlanPorts("tb6", specs);
            db.deletePorts("tb6", List.of("vxtb6p1", "vxtb6p2", "no-such-port"));
            assertEquals(48, OVS.vsctl("list-ports", "tb6").lines().count());
        }
    }

    /** The datapath id ovs-vswitchd assigned, as ovs-ofctl reports it; empty for a missing bridge. */
    @Test
    void datapathIdIsTheOneTheSwitchReports() {
        try (OvsDatabase db = connect()) {
            db.ensureBridge(BridgeSpec.of("tb7", "netdev"));
            // ovs-vswitchd writes the column shortly after the bridge appears
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.datapathId("tb7").isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            String shown = OVS.ofctl("show", "tb7").lines().findFirst().orElseThrow();
            String hex = shown.substring(shown.indexOf("dpid:") + 5).trim();
            assertEquals(16, hex.length(), shown);
            assertEquals(java.util.OptionalLong.of(Long.parseUnsignedLong(hex, 16)), db.datapathId("tb7"));
            OVS.vsctl("set", "bridge", "tb7", "other_config:datapath-id=00000000000beef7");
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.datapathId("tb7").orElse(0) != 0xbeef7L && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(java.util.OptionalLong.of(0xbeef7L), db.datapathId("tb7"), "follows a changed datapath id");
            assertTrue(db.datapathId("no-such-br").isEmpty());
            db.deleteBridge("tb7");
        }
    }

    @Test
    void portOnAMissingBridgeFails() {
        try (OvsDatabase db = connect()) {
            assertThrows(OvsdbTransactionException.class, () -> db.ensureInternalPort("no-such-br", "p1"));
        }
    }

    @Test
    void absentSocketIsUnavailableQuickly() {
        long start = System.nanoTime();
        assertThrows(OvsdbUnavailableException.class, () -> OvsDatabases.connect(
                new OvsdbEndpoint.UnixSocket(Path.of("/nonexistent/linen/db.sock")), TIMEOUT));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "fails fast, not after the timeout");
    }

    /** Eight sessions racing to create the same bridge and port leave exactly one of each. */
    @Test
    void racingSessionsCreateOneBridgeAndOnePort() throws Exception {
        int n = 8;
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    try (OvsDatabase db = connect()) {
                        start.await(10, TimeUnit.SECONDS);
                        db.ensureBridge(spec("tbrace", "tcp:127.0.0.1:6653"));
                        db.ensureInternalPort("tbrace", "tbracegw");
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(1, OVS.vsctl("list-br").lines().filter("tbrace"::equals).count());
        assertEquals("tbracegw", OVS.vsctl("list-ports", "tbrace"));
        assertEquals(1, OVS.vsctl("--columns=name", "find", "interface", "name=tbracegw").lines()
                .filter(l -> l.startsWith("name")).count());
        assertEquals("tcp:127.0.0.1:6653", OVS.vsctl("get-controller", "tbrace"));
    }

    private static void awaitOfport(OvsDatabase db, String port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.ofport(port).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no ofport for " + port);
            }
            Thread.onSpinWait();
        }
        assertTrue(db.ofport(port).orElseThrow() > 0);
    }
}
