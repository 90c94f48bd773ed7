package dev.linen.flaxd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linen.flaxd.ctl.Linenctl;
import dev.linen.flaxd.tunnel.TunnelMode;
import dev.linen.ovs.testing.PrivateOvsExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * linenctl against a flaxd in flow mode (fabric8's mock API in CRUD mode, the one stand-in) on a
 * real private OVS: status over the local API's unix socket, flows compared with what OVS holds (a
 * flow deleted by hand shows as missing until flaxd repairs it), trace through ofproto/trace, bundle.
 */
@EnableKubernetesMockClient(crud = true)
class LinenctlOpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "brlc";
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesClient client;
    private Flaxd flaxd;
    private Path tmp;

    /** The exit code and what linenctl printed. */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void start() throws Exception {
        tmp = Files.createTempDirectory("lnctl-it-");
        client.nodes().resource(FlaxdTunnelsTest.node("node-1", "10.244.1.0/24", "10.99.0.11")).create();
        client.nodes().resource(FlaxdTunnelsTest.node("node-2", "10.244.2.0/24", "10.99.0.12")).create();
        client.nodes().resource(FlaxdTunnelsTest.node("node-3", "10.244.3.0/24", "10.99.0.13")).create();
        flaxd = TestFlaxd.start(OVS, client, BR, TunnelMode.FLOW, DEADLINE, Optional.of(tmp.resolve("api/api.sock")));
        await(() -> ctl("flows").exit() == 0 && ctl("status", "-o", "json").json().path("ready").asBoolean(), "ready, flows in");
    }

    @AfterEach
    void stop() throws Exception {
        if (flaxd != null) {
            flaxd.close();
        }
        client.nodes().delete();
        OVS.vsctl("--if-exists", "del-br", BR);
        OVS.exec(List.of("ip", "link", "del", "kbr0"));
        OVS.exec(List.of("rm", "-rf", "--", tmp.toString()));
    }

    Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new java.util.ArrayList<>(List.of("--socket", tmp.resolve("api/api.sock").toString(),
                "--ovs-rundir", OVS.dir().toString()));
        all.addAll(List.of(args));
        int exit = Linenctl.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check c, String what) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void theSocketIsRootsAloneAndStatusNamesThePeers() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("api/api.sock"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("api"))));
        JsonNode s = ctl("status", "-o", "json").json();
        assertEquals("node-1", s.path("node").asText());
        assertEquals("10.244.1.0/24", s.path("podCidr").asText());
        assertEquals("flow", s.path("mode").asText());
        assertEquals(List.of("node-2 10.99.0.12 10.244.2.0/24", "node-3 10.99.0.13 10.244.3.0/24"),
                s.path("peers").valueStream().map(p -> p.path("name").asText() + " " + p.path("internalIp").asText()
                        + " " + p.path("podCidrs").get(0).asText()).toList());
        assertEquals(11, s.path("openflow").path("flows").asInt());
        String metrics = FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics");
        // per table: the miss, plus 2 classifier flows, one ARP reply and one route per peer, the local ingress
        for (String line : List.of("flaxd_table_flows{table=\"classifier\"} 3", "flaxd_table_flows{table=\"arp-responder\"} 3",
                "flaxd_table_flows{table=\"l3-forwarding\"} 3", "flaxd_table_flows{table=\"tunnel-ingress\"} 2")) {
            assertTrue(metrics.contains("\n" + line + "\n"), line + " in " + metrics);
        }
        assertTrue(!metrics.contains("\nflaxd_flow_mod_seconds_count 0\n") && metrics.contains("\nflaxd_flow_mod_seconds_count "),
                "flow-mod batches are timed: " + metrics);
        Run human = ctl("status");
        assertEquals(0, human.exit(), human.err());
        assertTrue(human.out().contains("ready      yes"), human.out());
        assertTrue(human.out().contains("peers      2"), human.out());
    }

    @Test
    void flowsMatchOvsAndAFlowDeletedByHandIsMissingUntilRepaired() throws Exception {
        JsonNode all = ctl("flows", "-o", "json").json();
        assertEquals(JSON.readTree("{\"desired\":11,\"installed\":11,\"missing\":0,\"extra\":0}"), all.path("summary"));
        // flaxd reads the bridge over its own OpenFlow connection; ovs-ofctl, apart from it, sees the same flows
        java.util.TreeSet<String> ofctl = java.util.Arrays.stream(OVS.ofctl("-O", "OpenFlow13", "--no-stats", "dump-flows", BR)
                        .split("\n")).map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("OFPST_"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(ofctl, all.path("flows").valueStream().map(f -> f.path("flow").asText())
                .collect(Collectors.toCollection(java.util.TreeSet::new)));
        // flaxd's flow dumps (one request each here) are counted under their own cause, apart from the join figures
        long dumps = apiMessages();
        assertEquals(0, ctl("flows").exit());
        assertEquals(dumps + 1, apiMessages(), "one flow dump request for one linenctl flows");
        Run peer = ctl("flows", "--peer", "node-3", "-o", "json");
        assertEquals(Set.of("arp-responder node-3", "l3-forwarding node-3"), peer.json().path("flows").valueStream()
                .map(f -> f.path("tableName").asText() + " " + f.path("peer").asText()).collect(Collectors.toSet()));
        Run table = ctl("flows", "--table", "tunnel-ingress");
        assertTrue(table.out().contains("installed  30    tunnel-ingress   -                "), table.out());
        assertTrue(table.out().startsWith("TABLE NAME             STAGE     FEATURE          MISS\n"
                + "30    tunnel-ingress   deliver   tunnel-ingress   drop\n"), table.out());
        assertTrue(all.path("tables").get(1).toString().equals(
                "{\"number\":10,\"name\":\"arp-responder\",\"stage\":\"respond\",\"feature\":\"arp-responder\","
                        + "\"miss\":\"goto l3-forwarding\"}"), all.path("tables").toString());
        Run bad = ctl("flows", "--table", "nope");
        assertEquals(3, bad.exit());
        assertTrue(bad.err().contains("no table named nope (tables: classifier, arp-responder, l3-forwarding, tunnel-ingress)"),
                bad.err());
        // flaxd repairs within one tick (2 s): delete again if the repair came before linenctl looked
        boolean seen = false;
        for (int attempt = 0; attempt < 3 && !seen; attempt++) {
            OVS.ofctl("del-flows", BR, "--strict", "table=20,priority=200,ip,nw_dst=10.244.3.0/24");
            Run missing = ctl("flows", "--peer", "node-3");
            seen = missing.exit() == 1 && missing.out().contains("missing    20    l3-forwarding    node-3");
        }
        assertTrue(seen, "the hand-deleted flow shows as missing");
        await(() -> ctl("flows").exit() == 0, "flaxd repairs the flow (a new round)");
    }

    private long apiMessages() throws Exception {
        String prefix = "flaxd_openflow_messages_total{cause=\"api\"} ";
        return FlaxdTunnelsTest.get(flaxd.httpPort(), "/metrics").lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> Long.parseLong(l.substring(prefix.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix));
    }

    @Test
    void traceNamesTheTablesTheTunnelAndThePeer() throws Exception {
        JsonNode toRemote = ctl("trace", "10.244.1.5", "10.244.3.7", "--proto", "tcp", "--dport", "80", "-o", "json").json();
        assertEquals(List.of("0 classifier classifier", "10 arp-responder arp-responder", "20 l3-forwarding l3-forwarding"),
                toRemote.path("steps").valueStream().map(s -> s.path("table").asInt() + " " + s.path("tableName").asText()
                        + " " + s.path("feature").asText()).toList());
        assertTrue(toRemote.path("verdict").asText().contains("node node-3 (10.99.0.13)"), toRemote.toPrettyString());
        Run in = ctl("trace", "10.244.2.7", "10.244.1.5");
        assertTrue(in.out().contains("verdict  delivered locally: to this node's gateway (the Linux bridge) by tunnel-ingress"),
                in.out());
        Run nowhere = ctl("trace", "10.244.1.5", "10.244.9.9", "--proto", "udp");
        assertTrue(nowhere.out().contains("verdict  dropped by table 20 l3-forwarding (feature l3-forwarding, table miss)"),
                nowhere.out());
        Run local = ctl("trace", "10.244.1.5", "10.244.1.6");
        assertTrue(local.out().contains("never enters OVS"), local.out());
        Run stranger = ctl("trace", "192.168.7.1", "10.244.1.6");
        assertEquals(3, stranger.exit());
        assertTrue(stranger.err().contains("192.168.7.1 is in no pod range of this node (10.244.1.0/24) or of its peers"),
                stranger.err());
    }

    @Test
    void bundleWritesItsFilesAndAStoppedFlaxdIsNamed() throws Exception {
        Path dir = tmp.resolve("bundle");
        Run b = ctl("bundle", dir.toString(), "--cni-conf-dir", tmp.toString());
        Set<String> files = new TreeSet<>();
        try (var l = Files.list(dir)) {
            l.forEach(f -> files.add(f.getFileName().toString()));
        }
        assertTrue(files.containsAll(List.of("status.json", "pipeline.json", "flows.txt", "ovs-flows.txt", "ovsdb-dump.txt",
                "iptables-linen.txt", "routes.txt", "conflist.txt", "versions.txt", "flaxd.log.error")), files.toString());
        assertEquals(1, b.exit(), "flaxd.log is not readable without --flaxd-log: " + b.out());
        assertTrue(Files.readString(dir.resolve("ovsdb-dump.txt")).contains(BR), "the database names the bridge");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(3, ctl("bundle", dir.toString()).exit(), "an existing directory is refused");
        flaxd.close();
        flaxd = null;
        Run down = ctl("status");
        assertEquals(3, down.exit());
        assertTrue(down.err().startsWith("linenctl: flaxd is not running on this node"), down.err());
    }
}
