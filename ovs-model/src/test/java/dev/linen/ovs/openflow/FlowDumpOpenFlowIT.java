package dev.linen.ovs.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.ovs.flow.Action;
import dev.linen.ovs.flow.Cookie;
import dev.linen.ovs.flow.Flow;
import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.flow.Match;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * {@link FlowSwitch#dumpFlows} against a real OVS bridge: every match and action of the model
 * read back as the text written here by hand (which is also what ovs-ofctl prints), a flow with
 * fields the model lacks read back named, a dump of several multipart parts read whole, and dumps
 * counted apart from the messages of a join.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowDumpOpenFlowIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private static final String BR = "lndump0";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LinkedBlockingQueue<FlowSwitch> CONNECTED = new LinkedBlockingQueue<>();
    private static final MacAddress VMAC = MacAddress.parse("aa:bb:cc:00:00:01");
    private static ControlledBridge bridge;
    private static FlowSwitch sw;

    @BeforeAll
    static void connect() throws Exception {
        bridge = ControlledBridge.start(OVS, BR, Duration.ofSeconds(3), 300, new SwitchListener() {
            @Override
            public void connected(FlowSwitch s) {
                CONNECTED.add(s);
            }

            @Override
            public void disconnected(FlowSwitch s) {
            }
        });
        sw = CONNECTED.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(sw != null && sw.connected(), "the bridge connected to our controller");
    }

    @AfterAll
    static void close() {
        if (bridge != null) {
            OVS.vsctl("--if-exists", "del-br", BR);
            bridge.close();
        }
    }

    /** Every Match and every Action record of the model, over several tables, cookies and priorities. */
    static List<Flow> everything() {
        return List.of(
                new Flow(0, 100, new Cookie(0xd01), List.of(new Match.InPortLocal()),
                        List.of(new Action.GotoTable(10))),
                new Flow(0, 0, Cookie.NONE, List.of(), List.of(new Action.Drop())),
                new Flow(10, 200, new Cookie(0xd02), List.of(new Match.Arp(), new Match.ArpOp(1),
                        new Match.ArpTpa(Ipv4Prefix.parse("10.244.2.0/24"))), List.of(
                        new Action.Move(Action.Field.ETH_SRC, Action.Field.ETH_DST),
                        new Action.SetEth(Action.EthField.SRC, VMAC), new Action.SetArpOp(2),
                        new Action.Move(Action.Field.ARP_SHA, Action.Field.ARP_THA),
                        new Action.SetArpSha(VMAC),
                        new Action.Move(Action.Field.ARP_TPA, Action.Field.REG0),
                        new Action.Move(Action.Field.ARP_SPA, Action.Field.ARP_TPA),
                        new Action.Move(Action.Field.REG0, Action.Field.ARP_SPA),
                        new Action.OutputInPort())),
                new Flow(20, 100, new Cookie(0xd03), List.of(new Match.Ip(), new Match.Reg(0, 0x5, 0xffffffffL),
                        new Match.IpSrc(Ipv4Prefix.parse("10.244.1.0/24")),
                        new Match.IpDst(Ipv4Prefix.host("10.244.2.7"))),
                        List.of(new Action.SetEth(Action.EthField.SRC, VMAC),
                                new Action.SetTunDst(Ipv4Prefix.host("10.99.0.12")), new Action.Output(1))),
                new Flow(30, 100, new Cookie(0xd04), List.of(new Match.InPort(1),
                        new Match.EthDst(MacAddress.parse("02:00:00:00:00:02")), new Match.Ip(),
                        new Match.IpDst(Ipv4Prefix.parse("10.244.1.0/24"))),
                        List.of(new Action.SetEth(Action.EthField.DST, MacAddress.parse("0a:58:0a:f4:01:05")),
                                new Action.OutputLocal())),
                new Flow(40, 5, new Cookie(0xd05), List.of(new Match.InPort(1), new Match.TunId(0x10)),
                        List.of(new Action.Normal())),
                new Flow(50, 300, new Cookie(0xd06), List.of(new Match.Reg(1, 0x10, 0xf0),
                        new Match.Reg(2, 0xabcd, 0xffffffffL)), List.of(new Action.Output(2))),
                new Flow(50, 10, new Cookie(0xd06), List.of(new Match.Ip(), new Match.InPortLocal()),
                        List.of(new Action.Output(3), new Action.GotoTable(60))));
    }

    /** The same flows as written by hand in ovs-ofctl's dump-flows shape. */
    static final Set<String> EXPECTED = new TreeSet<>(List.of(
            "cookie=0xd01, priority=100,in_port=LOCAL actions=goto_table:10",
            "priority=0 actions=drop",
            "cookie=0xd02, table=10, priority=200,arp,arp_tpa=10.244.2.0/24,arp_op=1 actions="
                    + "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:aa:bb:cc:00:00:01->eth_src,"
                    + "set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],"
                    + "set_field:aa:bb:cc:00:00:01->arp_sha,move:NXM_OF_ARP_TPA[]->NXM_NX_REG0[],"
                    + "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],move:NXM_NX_REG0[]->NXM_OF_ARP_SPA[],IN_PORT",
            "cookie=0xd03, table=20, priority=100,ip,reg0=0x5,nw_src=10.244.1.0/24,nw_dst=10.244.2.7 actions="
                    + "set_field:aa:bb:cc:00:00:01->eth_src,load:0xa63000c->NXM_NX_TUN_IPV4_DST[],output:1",
            "cookie=0xd04, table=30, priority=100,ip,in_port=1,dl_dst=02:00:00:00:00:02,nw_dst=10.244.1.0/24"
                    + " actions=set_field:0a:58:0a:f4:01:05->eth_dst,LOCAL",
            "cookie=0xd05, table=40, priority=5,tun_id=0x10,in_port=1 actions=NORMAL",
            "cookie=0xd06, table=50, priority=300,reg1=0x10/0xf0,reg2=0xabcd actions=output:2",
            "cookie=0xd06, table=50, priority=10,ip,in_port=LOCAL actions=output:3,goto_table:60"));

    static Set<String> ofctlDump() {
        return Arrays.stream(OVS.ofctl("--no-stats", "dump-flows", BR).split("\n"))
                .map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> texts(List<InstalledFlow> flows) {
        return flows.stream().map(InstalledFlow::text).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The cookie, table and priority an installed flow's text starts with, from its own fields. */
    static String head(InstalledFlow f) {
        return (f.cookie().value() == 0 ? "" : "cookie=" + f.cookie() + ", ")
                + (f.table() == 0 ? "" : "table=" + f.table() + ", ") + "priority=" + f.priority();
    }

    @Test
    @Order(1)
    void everyMatchAndActionOfTheModelReadsBackAsWritten() {
        sw.apply(everything().stream().<FlowMod>map(FlowMod.Add::new).toList(), WAIT);
        List<InstalledFlow> dumped = sw.dumpFlows(WAIT);
        assertEquals(EXPECTED, texts(dumped));
        assertEquals(EXPECTED.size(), dumped.size(), "one entry per flow");
        for (InstalledFlow f : dumped) {
            assertTrue(f.text().startsWith(head(f) + ",") || f.text().startsWith(head(f) + " "),
                    "table, priority and cookie of " + f.text() + " are " + head(f));
        }
        assertEquals(EXPECTED, ofctlDump(), "ovs-ofctl prints the same text");
    }

    @Test
    @Order(2)
    void flowsWithWhatTheModelLacksComeBackNamed() {
        OVS.ofctl("add-flow", BR, "cookie=0x77,table=60,priority=7,tcp,tp_dst=80,actions=mod_vlan_vid:5,output:3");
        OVS.ofctl("add-flow", BR, "cookie=0x78,table=61,priority=8,tun_src=192.0.2.1,reg9=0x4,"
                + "actions=resubmit(,62)");
        List<InstalledFlow> dumped = sw.dumpFlows(WAIT);
        assertEquals(EXPECTED.size() + 2, dumped.size(), texts(dumped).toString());
        InstalledFlow tcp = only(dumped, 60);
        assertEquals(7, tcp.priority());
        assertEquals(new Cookie(0x77), tcp.cookie());
        assertTrue(tcp.text().startsWith("cookie=0x77, table=60, priority=7,ip,<unknown match: "), tcp.text());
        assertTrue(tcp.text().contains(" actions=<unknown action: ") && tcp.text().endsWith(",output:3"),
                tcp.text());
        InstalledFlow nicira = only(dumped, 61);
        assertEquals(8, nicira.priority());
        assertEquals(new Cookie(0x78), nicira.cookie());
        assertTrue(nicira.text().startsWith("cookie=0x78, table=61, priority=8,reg9=0x4,<unknown match: "),
                nicira.text());
        assertTrue(nicira.text().contains(" actions=<unknown action: "), nicira.text());
        System.out.println("flows the model lacks, as dumped:\n  " + tcp.text() + "\n  " + nicira.text());
        assertTrue(texts(dumped).containsAll(EXPECTED), "the model's flows are still read back exactly");
    }

    private static InstalledFlow only(List<InstalledFlow> flows, int table) {
        List<InstalledFlow> in = flows.stream().filter(f -> f.table() == table).toList();
        assertEquals(1, in.size(), "one flow in table " + table + ": " + in);
        return in.get(0);
    }

    @Test
    @Order(3)
    void aDumpOfSeveralPartsIsReadWholeAndCountedApartFromJoins() {
        List<FlowMod> burst = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            burst.add(new FlowMod.Add(new Flow(70, 100, new Cookie(0xd070), List.of(new Match.Ip(),
                    new Match.IpDst(new Ipv4Prefix(0x0a000000 + i, 32))), List.of(new Action.Normal()))));
        }
        sw.apply(burst, Duration.ofSeconds(60));
        long messages = sw.messagesSent();
        long dumps = sw.dumpsSent();
        List<InstalledFlow> dumped = sw.dumpFlows(WAIT);
        assertEquals(messages, sw.messagesSent(), "a dump is not a message of a join");
        assertEquals(dumps + 1, sw.dumpsSent());
        assertEquals(3000, dumped.stream().filter(f -> f.table() == 70).count(),
                "all 3000 flows, over several reply parts (64 KiB each at most)");
        assertEquals(EXPECTED.size() + 2 + 3000, dumped.size());
        assertEquals(ofctlDump().size(), dumped.size(), "as many flows as ovs-ofctl shows");
        assertTrue(texts(dumped).contains("cookie=0xd070, table=70, priority=100,ip,nw_dst=10.0.11.183 actions=NORMAL"),
                "flow 3000 (10.0.11.183) is there");
    }
}
