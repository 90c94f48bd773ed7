package dev.linen.ovs.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.proc.ProcessRunner;
import dev.linen.ovs.testing.ForeignOpenFlowClient;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our controller (openflowjava adapter) against a real OVS bridge: handshake, flows written as our
 * values and read back with ovs-ofctl, errors charged to the flow that caused them, delete by
 * cookie, a large burst under the in-flight bound, a new session after ovs-vswitchd restarts, and
 * admission: only the bridge whose datapath id OVSDB shows, from a socket of ovs-vswitchd's user
 * (root), one session at a time, and no connection outlives the handshake deadline without being
 * admitted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "lnof0";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LinkedBlockingQueue<FlowSwitch> CONNECTED = new LinkedBlockingQueue<>();
    private static final LinkedBlockingQueue<FlowSwitch> GONE = new LinkedBlockingQueue<>();
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);
    private static ControlledBridge bridge;
    private static OpenFlowController controller;
    private static OvsDatabase db;
    private static FlowSwitch sw;

    @BeforeAll
    static void connect() throws Exception {
        bridge = ControlledBridge.start(OVS, BR, HANDSHAKE, 300, new SwitchListener() {
            @Override
            public void connected(FlowSwitch s) {
                CONNECTED.add(s);
            }

            @Override
            public void disconnected(FlowSwitch s) {
                GONE.add(s);
            }
        });
        controller = bridge.controller();
        db = bridge.db();
        sw = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(sw != null && sw.connected(), "the bridge connected to our controller");
    }

    private static void setController() {
        bridge.pointAtController();
    }

    @AfterAll
    static void close() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static final MacAddress VMAC = MacAddress.parse("aa:bb:cc:00:00:01");

    static List<Flow> sample(long cookie) {
        Cookie c = new Cookie(cookie);
        return List.of(
                new Flow(0, 100, c, List.of(new Match.InPortLocal()), List.of(new Action.GotoTable(10))),
                new Flow(0, 0, c, List.of(), List.of(new Action.Drop())),
                new Flow(10, 200, c, List.of(new Match.Arp(), new Match.ArpOp(1),
                        new Match.ArpTpa(Ipv4Prefix.parse("10.244.2.0/24"))), List.of(
                        new Action.Move(Action.Field.ETH_SRC, Action.Field.ETH_DST),
                        new Action.SetEth(Action.EthField.SRC, VMAC), new Action.SetArpOp(2),
                        new Action.Move(Action.Field.ARP_SHA, Action.Field.ARP_THA),
                        new Action.SetArpSha(VMAC),
                        new Action.Move(Action.Field.ARP_TPA, Action.Field.REG0),
                        new Action.Move(Action.Field.ARP_SPA, Action.Field.ARP_TPA),
                        new Action.Move(Action.Field.REG0, Action.Field.ARP_SPA),
                        new Action.OutputInPort())),
                new Flow(20, 100, c, List.of(new Match.Ip(), new Match.IpDst(Ipv4Prefix.parse("10.244.2.0/24"))),
                        List.of(new Action.SetEth(Action.EthField.SRC, VMAC),
                                new Action.SetTunDst(Ipv4Prefix.host("10.99.0.12")), new Action.Output(1))),
                new Flow(30, 100, c, List.of(new Match.InPort(1), new Match.Ip(),
                        new Match.IpDst(Ipv4Prefix.parse("10.244.1.0/24"))),
                        List.of(new Action.SetEth(Action.EthField.DST, MacAddress.parse("02:00:00:00:00:02")),
                                new Action.OutputLocal())),
                new Flow(40, 5, c, List.of(new Match.InPort(1), new Match.TunId(0x10)), List.of(new Action.Normal())));
    }

    static Set<String> dump() {
        return Arrays.stream(OVS.ofctl("--no-stats", "dump-flows", BR).split("\n"))
                .map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> text(List<Flow> flows) {
        return flows.stream().map(Flow::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @Order(1)
    void flowsReadBackAsWritten() {
        List<Flow> flows = sample(0x1000);
        sw.apply(flows.stream().<FlowMod>map(FlowMod.Add::new).toList(), WAIT);
        assertEquals(text(flows), dump());
        assertEquals(flows.size(), sw.countFlows(new Cookie(0x1000), new Cookie(-1), WAIT));
        assertEquals(0, sw.countFlows(new Cookie(0x2000), new Cookie(-1), WAIT));
        assertEquals(flows.size(), sw.countFlows(new Cookie(0), new Cookie(0), WAIT), "a zero mask counts all");
    }

    @Test
    @Order(2)
    void rejectedFlowIsNamedAndTheRestApplied() {
        Flow good = new Flow(50, 10, new Cookie(0x2000), List.of(new Match.Ip()), List.of(new Action.Normal()));
        // setting the ARP opcode of a packet not known to be ARP: OVS refuses the flow
        Flow bad = new Flow(50, 11, new Cookie(0x2000), List.of(), List.of(new Action.SetArpOp(2)));
        var e = assertThrows(OpenFlowException.Rejected.class,
                () -> sw.apply(List.of(new FlowMod.Add(good), new FlowMod.Add(bad)), WAIT));
        assertEquals(1, e.rejections().size(), e.getMessage());
        assertEquals(new FlowMod.Add(bad), e.rejections().get(0).mod());
        assertTrue(dump().contains(good.toString()), "the good flow of the batch is installed");
        assertTrue(sw.connected(), "an error does not end the session");
    }

    @Test
    @Order(3)
    void deleteByCookieTakesOnlyThatCookie() {
        sw.apply(List.of(new FlowMod.DeleteByCookie(new Cookie(0x2000), new Cookie(0xf000))), WAIT);
        assertEquals(text(sample(0x1000)), dump());
        Flow one = sample(0x1000).get(3);
        sw.apply(List.of(new FlowMod.DeleteStrict(one)), WAIT);
        assertFalse(dump().contains(one.toString()), "strict delete removed " + one);
        assertEquals(sample(0x1000).size() - 1, dump().size());
    }

    @Test
    @Order(4)
    void aBurstLargerThanTheInFlightBoundArrivesWhole() {
        List<FlowMod> burst = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            burst.add(new FlowMod.Add(new Flow(60, 100, new Cookie(0x3000), List.of(new Match.Ip(),
                    new Match.IpDst(new Ipv4Prefix(0x0a000000 + i, 32))), List.of(new Action.Normal()))));
        }
        long before = sw.messagesSent();
        sw.apply(burst, Duration.ofSeconds(60));
        assertEquals(3000, dump().stream().filter(l -> l.contains("table=60")).count());
        assertEquals(3000, sw.countFlows(new Cookie(0x3000), new Cookie(0xf000), WAIT));
        long sent = sw.messagesSent() - before;
        assertTrue(sent > 3000 && sent < 3000 + 3000 / 100, "flow mods plus a barrier per batch: " + sent);
    }

    /**
     * OVS probes a controller it has not heard from for 5 s (its floor) with an echo request and
     * drops the connection when that is not answered within another 5 s. Ours answers, so a
     * session that sends nothing outlives more than two probe intervals.
     */
    @Test
    @Order(5)
    void idleSessionSurvivesOvsEchoProbes() throws Exception {
        OVS.vsctl("set", "controller", BR, "inactivity_probe=5000");
        FlowSwitch gone = GONE.poll(12, TimeUnit.SECONDS);
        assertEquals(null, gone, "the idle session was dropped: echo requests not answered");
        assertTrue(sw.connected());
        assertEquals("true", OVS.vsctl("get", "controller", BR, "is_connected"));
        assertTrue(CONNECTED.isEmpty(), "no reconnect happened");
    }

    @Test
    @Order(6)
    void vswitchdRestartEndsTheSessionAndANewOneArrives() throws Exception {
        OVS.restartVswitchd();
        FlowSwitch gone = GONE.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(sw, gone);
        assertFalse(sw.connected());
        assertThrows(OpenFlowException.Disconnected.class, () -> sw.apply(List.of(new FlowMod.Add(sample(1).get(0))), WAIT));
        FlowSwitch again = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(again != null && again.connected(), "the restarted switch reconnected");
        assertEquals(Set.of(), dump(), "a restarted ovs-vswitchd has no flows until they are replayed");
        again.apply(sample(0x1000).stream().<FlowMod>map(FlowMod.Add::new).toList(), WAIT);
        assertEquals(text(sample(0x1000)), dump());
        sw = again;
    }

    /** The bridge drops its controller connection and connects again; returns the new session. */
    private static FlowSwitch reconnectBridge() throws InterruptedException {
        OVS.vsctl("del-controller", BR);
        assertEquals(sw, GONE.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the old session ended");
        setController();
        FlowSwitch again = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(again != null && again.connected(), "the bridge connected again");
        return again;
    }

    private static String bridgeDatapathId() {
        return String.format("%016x", db.datapathId(BR).orElseThrow());
    }

    /** A client claiming another datapath id is closed unheard; the bridge connecting meanwhile is admitted. */
    @Test
    @Order(7)
    void aForeignDatapathIsClosedAndTheBridgeIsProgrammed() throws Exception {
        long real = db.datapathId(BR).orElseThrow();
        try (var foreign = ForeignOpenFlowClient.connect(controller.address(), OptionalLong.of(real ^ 0x5a))) {
            FlowSwitch again = reconnectBridge();
            sw = again;
            assertEquals(bridgeDatapathId(), again.datapathId(), "the session admitted is the bridge's");
            again.apply(sample(0x4000).stream().<FlowMod>map(FlowMod.Add::new).toList(), WAIT);
            assertEquals(text(sample(0x4000)), dump());
            Duration open = foreign.awaitClosed(HANDSHAKE.plusSeconds(3));
            assertTrue(open.compareTo(HANDSHAKE.plusSeconds(2)) < 0, "closed at the handshake deadline: " + open);
            assertEquals(List.of(ForeignOpenFlowClient.HELLO, ForeignOpenFlowClient.FEATURES_REQUEST),
                    foreign.received(), "no flow mod, nothing after the handshake");
            assertTrue(CONNECTED.isEmpty(), "the foreign client never reached the listener: " + CONNECTED);
        }
    }

    /** A client claiming the bridge's own datapath id while the bridge is connected is refused. */
    @Test
    @Order(8)
    void aSecondConnectionWithTheBridgesDatapathIdIsRefused() throws Exception {
        long real = db.datapathId(BR).orElseThrow();
        try (var foreign = ForeignOpenFlowClient.connect(controller.address(), OptionalLong.of(real))) {
            foreign.awaitClosed(HANDSHAKE.plusSeconds(3));
            assertEquals(List.of(ForeignOpenFlowClient.HELLO, ForeignOpenFlowClient.FEATURES_REQUEST),
                    foreign.received());
        }
        assertTrue(CONNECTED.isEmpty(), "the second connection never reached the listener: " + CONNECTED);
        assertTrue(GONE.isEmpty(), "the bridge's session was not displaced: " + GONE);
        assertTrue(sw.connected());
        Flow after = new Flow(70, 10, new Cookie(0x5000), List.of(new Match.Ip()), List.of(new Action.Normal()));
        sw.apply(List.of(new FlowMod.Add(after)), WAIT);
        assertTrue(dump().contains(after.toString()), "the bridge's session still programs it");
    }

    /** Clients that never speak are closed at the handshake deadline and hold nothing meanwhile. */
    @Test
    @Order(9)
    void silentClientsAreClosedAtTheHandshakeDeadlineAndHoldNothing() throws Exception {
        List<ForeignOpenFlowClient> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                silent.add(ForeignOpenFlowClient.connect(controller.address(), OptionalLong.empty()));
            }
            long start = System.nanoTime();
            sw = reconnectBridge();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(HANDSHAKE) < 0, "the bridge was admitted while they waited: " + took);
            for (ForeignOpenFlowClient c : silent) {
                Duration open = c.awaitClosed(HANDSHAKE.plusSeconds(3));
                assertTrue(open.compareTo(HANDSHAKE.minusMillis(200)) > 0 && open.compareTo(HANDSHAKE.plusSeconds(2)) < 0,
                        "closed at the deadline: " + open);
                assertEquals(List.of(ForeignOpenFlowClient.HELLO, ForeignOpenFlowClient.FEATURES_REQUEST), c.received());
            }
        } finally {
            for (ForeignOpenFlowClient c : silent) {
                c.close();
            }
        }
        assertTrue(sw.connected());
        assertTrue(CONNECTED.isEmpty() && GONE.isEmpty());
    }

    /**
     * While the bridge is away (its controller removed), a process of uid 65534 completes the
     * handshake claiming the bridge's own datapath id and is closed at the handshake deadline
     * unheard; the same client run as root (ovs-vswitchd's user here) in the same window is
     * admitted, so what tells them apart is the peer socket's owner.
     */
    @Test
    @Order(10)
    void anotherUserPosingAsTheAbsentBridgeIsRefusedAndRootIsAdmitted() throws Exception {
        String dpid = bridgeDatapathId();
        OVS.vsctl("del-controller", BR);
        assertEquals(sw, GONE.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the bridge's session ended");
        try {
            ProcessRunner.Result nobody = posingSwitch(List.of("setpriv", "--reuid", "65534", "--regid", "65534",
                    "--clear-groups"), dpid);
            assertEquals(0, nobody.exit(), nobody.output());
            assertTrue(nobody.output().contains("closed after") && nobody.output().contains("received [0, 5]"),
                    "uid 65534 was closed after hello and features only: " + nobody.output());
            assertTrue(CONNECTED.isEmpty(), "uid 65534 reached the listener: " + CONNECTED);

            ProcessRunner.Result root = posingSwitch(List.of(), dpid);
            assertEquals(0, root.exit(), root.output());
            assertTrue(root.output().contains("open after"), "root's client was kept: " + root.output());
            FlowSwitch posing = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(posing != null, "root's client claiming the bridge's datapath id was admitted");
            assertEquals(dpid, posing.datapathId());
            assertEquals(posing, GONE.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "its session ended when it exited");
        } finally {
            setController();
        }
        sw = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(sw != null && sw.connected(), "the bridge connected again");
        assertEquals(dpid, sw.datapathId());
    }

    /** Runs test resource openflow/posing-switch.py (after {@code prefix}) claiming {@code dpid}. */
    private static ProcessRunner.Result posingSwitch(List<String> prefix, String dpid) throws Exception {
        String script = Path.of(OpenFlowIT.class.getResource("/openflow/posing-switch.py").toURI()).toString();
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("/usr/bin/python3", script, controller.address().getAddress().getHostAddress(),
                Integer.toString(controller.address().getPort()), dpid,
                Long.toString(HANDSHAKE.plusSeconds(3).toSeconds())));
        return new ProcessRunner(Duration.ofSeconds(30), 1 << 16).run(argv);
    }
}
