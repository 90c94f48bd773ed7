package dev.linen.flaxd.node;

import dev.linen.ovs.flow.Ipv4Prefix;
import dev.linen.ovs.flow.MacAddress;
import dev.linen.ovs.proc.ProcessRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * The node around OVS: IP forwarding on; FORWARD accepts what Linen routes and nothing more: pod
 * addresses coming from the pods' Linux bridge, and pod addresses going into it (flaxd appends
 * its jump, so a policy engine that inserts its rules at the top of FORWARD still decides first,
 * and traffic on other interfaces is left to it and the chain's policy); pod traffic leaving the
 * cluster CIDR is masqueraded (pod-to-pod never is); the node routes the cluster CIDR
 * to the Linux bridge, so it reaches remote pods. Rules live in flaxd's own chains of the backend
 * the host uses ({@link IptablesBackend}); the built-in chains only get one jump each.
 *
 * @param cmd         runs the commands (on the host, or in a test's namespace)
 * @param iptables    which iptables ({@link IptablesBackend#detect}, once at start)
 * @param clusterCidr every pod address in the cluster (e.g. 10.244.0.0/16)
 * @param linuxBridge the pods' Linux bridge (kbr0)
 */
public record NodeNetwork(Commands cmd, IptablesBackend iptables, String clusterCidr, String linuxBridge) {
    public static final String FORWARD_CHAIN = "LINEN-FORWARD";
    public static final String NAT_CHAIN = "LINEN-POSTROUTING";

    public NodeNetwork {
        java.util.Objects.requireNonNull(cmd, "cmd");
        java.util.Objects.requireNonNull(iptables, "iptables");
        network("cluster CIDR", clusterCidr);
        dev.linen.ovs.db.Names.requireInterfaceName(linuxBridge);
    }

    /** {@code text} as an IPv4 network, exactly as iptables and ip print it back, or an error. */
    private static Ipv4Prefix network(String what, String text) {
        Ipv4Prefix p;
        try {
            p = Ipv4Prefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " must be IPv4 a.b.c.d/n: " + text, e);
        }
        if (text.indexOf('/') < 0 || !p.toString().equals(text)) {
            throw new IllegalArgumentException(what + " must be IPv4 a.b.c.d/n with no host bits set: " + text);
        }
        return p;
    }

    /**
     * Brings the node to the wanted state and says what it had to repair (empty: nothing was
     * changed, no {@code iptables-restore} ran). Cheap enough for every resync: it reads first and
     * writes only differences. Steady state, 6 processes: one {@code sysctl -n} (forwarding is
     * written only when off), four {@code iptables -S CHAIN} (flaxd's two chains and the two built-in chains holding
     * the jumps: output the size of those chains, not of kube-proxy's tables), one {@code ip -batch}
     * reading the bridge and the route. A repair adds one {@code iptables-restore --noflush} for
     * all that differs (each table's part is applied atomically) and one {@code ip} per link or
     * route change.
     *
     * <p>Idempotent. Bad input changes nothing. Not for concurrent calls on one node (one caller:
     * the reconcile loop).
     *
     * @return what was repaired, e.g. {@code LINEN-POSTROUTING rules} or {@code route 10.244.0.0/16 dev kbr0}
     * @throws NodeNetworkException a command failed; what ran before it stays done
     */
    public List<String> ensure(String localPodCidr) {
        network("pod CIDR", localPodCidr);
        List<String> repaired = new ArrayList<>();
        // read first: a container without a writable /proc/sys (not privileged) then runs on
        // every node that has forwarding on already (kubeadm's preflight requires it)
        if (!cmd.must("sysctl", "-n", "net.ipv4.ip_forward").strip().equals("1")) {
            cmd.must("sysctl", "-qw", "net.ipv4.ip_forward=1");
            repaired.add("net.ipv4.ip_forward");
        }
        StringBuilder restore = new StringBuilder();
        restore.append(table("filter", "FORWARD", FORWARD_CHAIN, List.of(
                "-A " + FORWARD_CHAIN + " -s " + clusterCidr + " -i " + linuxBridge + " -j ACCEPT",
                "-A " + FORWARD_CHAIN + " -d " + clusterCidr + " -o " + linuxBridge + " -j ACCEPT"), repaired));
        restore.append(table("nat", "POSTROUTING", NAT_CHAIN, List.of(
                "-A " + NAT_CHAIN + " -s " + localPodCidr + " ! -d " + clusterCidr + " -j MASQUERADE"), repaired));
        if (!restore.isEmpty()) {
            ProcessRunner.Result r = cmd.run(List.of(iptables.restore(), "--noflush", "-w", "5"), restore.toString());
            if (!r.ok()) {
                throw new NodeNetworkException(iptables.restore() + " failed: " + r.output().trim());
            }
        }
        ensureBridgeAndRoute(repaired);
        return List.copyOf(repaired);
    }

    /**
     * The {@code iptables-restore} part for one table: empty when {@code chain} holds exactly
     * {@code rules} and {@code builtin} jumps to it; else the chain rewritten and/or the jump added.
     */
    private String table(String table, String builtin, String chain, List<String> rules, List<String> repaired) {
        List<String> wanted = new ArrayList<>();
        wanted.add("-N " + chain);
        wanted.addAll(rules);
        String jump = "-A " + builtin + " -j " + chain;
        StringBuilder part = new StringBuilder();
        if (!wanted.equals(listing(table, chain))) {
            part.append(':').append(chain).append(" - [0:0]\n");
            for (String r : rules) {
                part.append(r).append('\n');
            }
            repaired.add(chain + " rules");
        }
        ProcessRunner.Result from = listChain(table, builtin);
        if (!from.ok()) {
            throw new NodeNetworkException(iptables.iptables() + " -t " + table + " -S " + builtin + " failed: "
                    + from.output().trim());
        }
        if (!ruleLines(from.output()).contains(jump)) {
            part.append(jump).append('\n');
            repaired.add("jump " + builtin + " -> " + chain);
        }
        return part.isEmpty() ? "" : "*" + table + "\n" + part + "COMMIT\n";
    }

    /** The chain as {@code iptables -S} prints it, or empty when it cannot be listed (it is missing). */
    private List<String> listing(String table, String chain) {
        ProcessRunner.Result r = listChain(table, chain);
        return r.ok() ? ruleLines(r.output()) : List.of();
    }

    private ProcessRunner.Result listChain(String table, String chain) {
        return cmd.run(iptables.iptables(), "-w", "5", "-t", table, "-S", chain);
    }

    /** The {@code -N}/{@code -A} lines (not the policy line, not a warning). */
    private static List<String> ruleLines(String listing) {
        List<String> lines = new ArrayList<>();
        for (String line : listing.split("\n", -1)) {
            if (line.startsWith("-N ") || line.startsWith("-A ")) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** The Linux bridge exists and is up, and the cluster CIDR is routed to it. One read, writes only on difference. */
    private void ensureBridgeAndRoute(List<String> repaired) {
        String seen = cmd.run(List.of("ip", "-o", "-force", "-batch", "-"),
                "link show dev " + linuxBridge + "\nroute show exact " + clusterCidr + "\n").output();
        String flags = linkFlags(seen);
        if (flags.isEmpty()) {
            cmd.must("ip", "link", "add", linuxBridge, "type", "bridge");
            repaired.add("link " + linuxBridge + " created");
        }
        if (!(("," + flags + ",").contains(",UP,"))) {
            cmd.must("ip", "link", "set", linuxBridge, "up");
            repaired.add("link " + linuxBridge + " up");
        }
        if (!routed(seen)) {
            cmd.must("ip", "route", "replace", clusterCidr, "dev", linuxBridge);
            repaired.add("route " + clusterCidr + " dev " + linuxBridge);
        }
    }

    /** The flags of the bridge in {@code ip -o link show} output ({@code BROADCAST,MULTICAST,UP}), or "" when absent. */
    private String linkFlags(String ipOutput) {
        String marker = ": " + linuxBridge + ": <";
        for (String line : ipOutput.split("\n", -1)) {
            int at = line.indexOf(marker);
            int end = line.indexOf('>', at + marker.length());
            if (at > 0 && end > 0) {
                return line.substring(at + marker.length(), end);
            }
        }
        return "";
    }

    /** Whether {@code ip route show exact} printed the cluster CIDR as a direct route to the bridge. */
    private boolean routed(String ipOutput) {
        String want = clusterCidr + " dev " + linuxBridge;
        for (String line : ipOutput.split("\n", -1)) {
            String l = line.strip();
            if (l.equals(want) || l.startsWith(want + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Keeps the OVS bridge's internal port up in the Linux bridge. An ovs-vswitchd restart
     * recreates that port detached, which would cut the node off its tunnels until the next pod;
     * the reconcile loop calls this every round. Idempotent; does nothing before both exist.
     */
    public void ensureAttached(String ovsBridge) {
        dev.linen.ovs.db.Names.requireInterfaceName(ovsBridge);
        ProcessRunner.Result master = cmd.run("readlink", "/sys/class/net/" + ovsBridge + "/master");
        if (master.ok() && master.output().trim().endsWith("/" + linuxBridge)) {
            return;
        }
        if (cmd.run("ip", "link", "show", ovsBridge).ok() && cmd.run("ip", "link", "show", linuxBridge).ok()) {
            cmd.must("ip", "link", "set", ovsBridge, "master", linuxBridge, "up");
        }
    }

    /**
     * The gateway MAC for a pod range: {@code 0a:58} and the four bytes of the range's first host
     * address (the gateway's IP). Fixed, so tunnel flows can address the gateway before any pod.
     */
    public static MacAddress gatewayMac(String podCidr) {
        Ipv4Prefix p = Ipv4Prefix.parse(podCidr);
        return new MacAddress(0x0a5800000000L | ((p.address() + 1) & 0xffffffffL));
    }

    /**
     * Gives the Linux bridge this fixed MAC (a Linux bridge otherwise takes the lowest MAC of its
     * ports, which changes as pods come and go). Idempotent; does nothing before the bridge exists.
     */
    public void ensureGatewayMac(MacAddress mac) {
        ProcessRunner.Result current = cmd.run("cat", "/sys/class/net/" + linuxBridge + "/address");
        if (current.ok() && !current.output().trim().equals(mac.toString())) {
            cmd.must("ip", "link", "set", linuxBridge, "address", mac.toString());
        }
    }

    /**
     * Removes the jumps, chains and route, from this backend only (touching the other one could
     * create its tables, which would then mislead the next backend detection). Idempotent.
     */
    public void uninstall() {
        String ipt = iptables.iptables();
        cmd.run(ipt, "-w", "5", "-t", "filter", "-D", "FORWARD", "-j", FORWARD_CHAIN);
        cmd.run(ipt, "-w", "5", "-t", "nat", "-D", "POSTROUTING", "-j", NAT_CHAIN);
        for (String[] tc : new String[][] {{"filter", FORWARD_CHAIN}, {"nat", NAT_CHAIN}}) {
            cmd.run(ipt, "-w", "5", "-t", tc[0], "-F", tc[1]);
            cmd.run(ipt, "-w", "5", "-t", tc[0], "-X", tc[1]);
        }
        cmd.run("ip", "route", "del", clusterCidr, "dev", linuxBridge);
    }
}
