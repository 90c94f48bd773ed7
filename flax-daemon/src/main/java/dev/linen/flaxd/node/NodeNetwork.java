package dev.linen.flaxd.node;

import java.util.List;

/**
 * The node around OVS: IP forwarding on; FORWARD accepts the cluster's pod CIDR; pod traffic
 * leaving the cluster CIDR is masqueraded (pod-to-pod never is); the node routes the cluster CIDR
 * to the Linux bridge, so it reaches remote pods. Rules live in flaxd's own chains, rewritten
 * atomically with {@code iptables-restore --noflush}; the built-in chains only get one jump each.
 *
 * @param clusterCidr every pod address in the cluster (e.g. 10.244.0.0/16)
 * @param linuxBridge the pods' Linux bridge (kbr0)
 */
public record NodeNetwork(Commands cmd, String clusterCidr, String linuxBridge) {
    public static final String FORWARD_CHAIN = "LINEN-FORWARD";
    public static final String NAT_CHAIN = "LINEN-POSTROUTING";

    private static final String CIDR = "([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}";

    public NodeNetwork {
        if (!clusterCidr.matches(CIDR)) {
            throw new IllegalArgumentException("cluster CIDR must be IPv4 a.b.c.d/n: " + clusterCidr);
        }
        dev.linen.ovs.db.Names.requireInterfaceName(linuxBridge);
    }

    /** Idempotent; all rules of a table change in one iptables-restore. */
    public void ensure(String localPodCidr) {
        if (!localPodCidr.matches(CIDR)) {
            throw new IllegalArgumentException("pod CIDR must be IPv4 a.b.c.d/n: " + localPodCidr);
        }
        cmd.must("sysctl", "-qw", "net.ipv4.ip_forward=1");
        restore("filter", FORWARD_CHAIN, List.of(
                "-A " + FORWARD_CHAIN + " -s " + clusterCidr + " -j ACCEPT",
                "-A " + FORWARD_CHAIN + " -d " + clusterCidr + " -j ACCEPT"));
        restore("nat", NAT_CHAIN, List.of(
                "-A " + NAT_CHAIN + " -s " + localPodCidr + " ! -d " + clusterCidr + " -j MASQUERADE"));
        jump("filter", "FORWARD", FORWARD_CHAIN);
        jump("nat", "POSTROUTING", NAT_CHAIN);
        if (!cmd.run("ip", "link", "show", linuxBridge).ok()) {
            cmd.must("ip", "link", "add", linuxBridge, "type", "bridge");
        }
        cmd.must("ip", "link", "set", linuxBridge, "up");
        cmd.must("ip", "route", "replace", clusterCidr, "dev", linuxBridge);
    }

    /**
     * Keeps the OVS bridge's internal port up in the Linux bridge. An ovs-vswitchd restart
     * recreates that port detached, which would cut the node off its tunnels until the next pod;
     * the reconcile loop calls this every round. Idempotent; does nothing before both exist.
     */
    public void ensureAttached(String ovsBridge) {
        dev.linen.ovs.db.Names.requireInterfaceName(ovsBridge);
        Commands.Result master = cmd.run("readlink", "/sys/class/net/" + ovsBridge + "/master");
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
    public static dev.linen.ovs.flow.MacAddress gatewayMac(String podCidr) {
        dev.linen.ovs.flow.Ipv4Prefix p = dev.linen.ovs.flow.Ipv4Prefix.parse(podCidr);
        return new dev.linen.ovs.flow.MacAddress(0x0a5800000000L | ((p.address() + 1) & 0xffffffffL));
    }

    /**
     * Gives the Linux bridge this fixed MAC (a Linux bridge otherwise takes the lowest MAC of its
     * ports, which changes as pods come and go). Idempotent; does nothing before the bridge exists.
     */
    public void ensureGatewayMac(dev.linen.ovs.flow.MacAddress mac) {
        Commands.Result current = cmd.run("cat", "/sys/class/net/" + linuxBridge + "/address");
        if (current.ok() && !current.output().trim().equals(mac.toString())) {
            cmd.must("ip", "link", "set", linuxBridge, "address", mac.toString());
        }
    }

    /** Removes the jumps, chains and route. Idempotent. */
    public void uninstall() {
        cmd.run("iptables", "-t", "filter", "-D", "FORWARD", "-j", FORWARD_CHAIN);
        cmd.run("iptables", "-t", "nat", "-D", "POSTROUTING", "-j", NAT_CHAIN);
        for (String[] tc : new String[][] {{"filter", FORWARD_CHAIN}, {"nat", NAT_CHAIN}}) {
            cmd.run("iptables", "-t", tc[0], "-F", tc[1]);
            cmd.run("iptables", "-t", tc[0], "-X", tc[1]);
        }
        cmd.run("ip", "route", "del", clusterCidr, "dev", linuxBridge);
    }

    private void restore(String table, String chain, List<String> rules) {
        StringBuilder in = new StringBuilder("*" + table + "\n:" + chain + " - [0:0]\n");
        for (String r : rules) {
            in.append(r).append('\n');
        }
        in.append("COMMIT\n");
        Commands.Result r = cmd.run(List.of("iptables-restore", "--noflush", "-w", "5"), in.toString());
        if (!r.ok()) {
            throw new NodeNetworkException("iptables-restore " + table + " failed: " + r.output().trim());
        }
    }

    private void jump(String table, String from, String to) {
        if (!cmd.run("iptables", "-w", "5", "-t", table, "-C", from, "-j", to).ok()) {
            cmd.must("iptables", "-w", "5", "-t", table, "-A", from, "-j", to);
        }
    }
}
