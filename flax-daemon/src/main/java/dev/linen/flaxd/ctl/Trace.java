package dev.linen.flaxd.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linen.flaxd.pipeline.Features;
import dev.linen.ovs.flow.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code linenctl trace}: the packet a pod would send, as an {@code ofproto/trace} flow, and OVS's
 * answer read back as steps (table and feature names from flaxd's pipeline) and a verdict. Pure
 * functions of flaxd's documents and OVS's text; no I/O here.
 */
final class Trace {
    /** " 0. in_port=LOCAL, priority 200, cookie 0x..." or "10. priority 0, cookie 0x..." (a miss: no match text). */
    private static final Pattern STEP = Pattern.compile("^ ?(\\d+)\\. (?:(.*?), )?priority (\\d+)(?:, cookie (0x[0-9a-f]+))?$");
    private static final Pattern TUN_LOAD = Pattern.compile("load:0x([0-9a-f]+)->NXM_NX_TUN_IPV4_DST\\[\\]");
    private static final Pattern TUN_SET = Pattern.compile("set_field:([0-9.]+)->tun_dst");

    /** A packet: protocol (tcp, udp, icmp), addresses, destination port (tcp/udp). */
    record Packet(String proto, Ipv4Prefix src, Ipv4Prefix dst, Optional<Integer> dport) {
        Packet {
            if (!List.of("tcp", "udp", "icmp").contains(proto)) {
                throw new IllegalArgumentException("--proto must be tcp, udp or icmp: " + proto);
            }
            if (src.length() != 32 || dst.length() != 32) {
                throw new IllegalArgumentException("SRC and DST are pod IPs, not ranges");
            }
            if (dport.isPresent() && (proto.equals("icmp") || dport.get() < 1 || dport.get() > 65535)) {
                throw new IllegalArgumentException("--dport is 1..65535, with tcp or udp only");
            }
        }
    }

    /** One table OVS walked through. */
    record Step(int table, String tableName, String feature, int priority, String match, List<String> actions) {
    }

    /** The walk and what became of the packet. */
    record Result(String flow, List<Step> steps, String verdict, String datapathActions) {
    }

    private Trace() {
    }

    /** This node's pod range, from flaxd's status. */
    static Optional<Ipv4Prefix> localRange(JsonNode status) {
        JsonNode c = status.path("podCidr");
        return c.isTextual() ? Optional.of(Ipv4Prefix.parse(c.asText())) : Optional.empty();
    }

    /** The peer whose IPv4 pod range holds {@code ip}: its name and InternalIP. */
    static Optional<Map.Entry<String, String>> peerOf(JsonNode status, Ipv4Prefix ip) {
        for (JsonNode p : status.path("peers")) {
            for (JsonNode c : p.path("podCidrs")) {
                if (!c.asText().contains(":") && Ipv4Prefix.parse(c.asText()).contains(ip)) {
                    return Optional.of(Map.entry(p.path("name").asText(), p.path("internalIp").asText()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The ofproto/trace flow for the packet as it reaches the OVS bridge: from a local pod through
     * the Linux bridge (LOCAL port, addressed to the virtual MAC the ARP responder gave), or from a
     * peer's pod through the tunnel. Empty when both pods are local: the Linux bridge delivers it and
     * OVS never sees it.
     *
     * @throws CtlException if SRC is no pod address of this node or a peer
     */
    static Optional<String> flow(JsonNode status, Packet p) throws CtlException {
        Optional<Ipv4Prefix> local = localRange(status);
        boolean srcLocal = local.isPresent() && local.get().contains(p.src());
        if (srcLocal && local.get().contains(p.dst())) {
            return Optional.empty();
        }
        String vmac = Features.VIRTUAL_MAC.toString();
        String in;
        if (srcLocal) {
            in = "in_port=LOCAL,dl_dst=" + vmac;
        } else {
            Map.Entry<String, String> peer = peerOf(status, p.src()).orElseThrow(() -> new CtlException(
                    p.src() + " is in no pod range of this node (" + local.map(Object::toString).orElse("none yet")
                            + ") or of its peers"));
            in = "in_port=vxlan0,tun_src=" + peer.getValue() + ",tun_dst=" + status.path("internalIp").asText()
                    + ",dl_src=" + vmac + ",dl_dst=" + vmac;
        }
        String l4 = p.proto().equals("icmp") ? "icmp,icmp_type=8" : p.proto();
        return Optional.of(l4 + "," + in + ",nw_src=" + p.src() + ",nw_dst=" + p.dst()
                + p.dport().map(d -> ",tp_dst=" + d).orElse(""));
    }

    /** Reads ofproto/trace's output (the first bridge's steps only) with flaxd's names. */
    static Result read(String flow, String output, JsonNode status, JsonNode pipeline) {
        Map<Integer, String> tables = new TreeMap<>();
        pipeline.path("tables").forEach(t -> tables.put(t.path("number").asInt(), t.path("name").asText()));
        Map<String, String> features = new TreeMap<>();
        pipeline.path("flows").forEach(f -> features.put(f.path("cookie").asText(), f.path("feature").asText()));
        List<Step> steps = new ArrayList<>();
        String datapath = "";
        Optional<String> tunDst = Optional.empty();
        for (String line : output.split("\n")) {
            Matcher m = STEP.matcher(line);
            if (m.matches()) {
                int t = Integer.parseInt(m.group(1));
                steps.add(new Step(t, tables.getOrDefault(t, "?"), m.group(4) == null ? "-" : features.getOrDefault(m.group(4), "not flaxd's"),
                        Integer.parseInt(m.group(3)), m.group(2) == null ? "" : m.group(2), new ArrayList<>()));
            } else if (line.startsWith("Datapath actions: ")) {
                datapath = line.substring("Datapath actions: ".length()).strip();
            } else if (!steps.isEmpty() && line.startsWith("    ") && !line.startsWith("     ") && datapath.isEmpty()) {
                steps.getLast().actions().add(line.strip());
            }
            tunDst = tunDst.or(() -> tunnelDestination(line));
        }
        return new Result(flow, steps, verdict(steps, datapath, tunDst, status), datapath);
    }

    private static Optional<String> tunnelDestination(String line) {
        Matcher load = TUN_LOAD.matcher(line);
        if (load.find()) {
            return Optional.of(new Ipv4Prefix((int) Long.parseLong(load.group(1), 16), 32).addressText());
        }
        Matcher set = TUN_SET.matcher(line);
        return set.find() ? Optional.of(set.group(1)) : Optional.empty();
    }

    private static String verdict(List<Step> steps, String datapath, Optional<String> tunDst, JsonNode status) {
        if (tunDst.isPresent()) {
            String node = "an unknown node";
            for (JsonNode p : status.path("peers")) {
                if (p.path("internalIp").asText().equals(tunDst.get())) {
                    node = "node " + p.path("name").asText();
                }
            }
            return (datapath.equals("drop") ? "dropped after the tunnel was set to " : "tunnelled through vxlan0 to ")
                    + node + " (" + tunDst.get() + ")";
        }
        Optional<Step> last = steps.isEmpty() ? Optional.empty() : Optional.of(steps.getLast());
        if (datapath.equals("drop") || datapath.isEmpty()) {
            return last.map(s -> "dropped by table " + s.table() + " " + s.tableName() + " (feature " + s.feature()
                    + (s.priority() == 0 ? ", table miss" : "") + ")").orElse("dropped (no table matched)");
        }
        List<String> actions = last.map(Step::actions).orElse(List.of());
        if (actions.contains("LOCAL")) {
            return "delivered locally: to this node's gateway (the Linux bridge) by " + last.get().tableName();
        }
        if (actions.contains("IN_PORT")) {
            return "answered inside OVS by " + last.get().tableName() + ", sent back where it came from";
        }
        return "datapath actions: " + datapath;
    }
}
