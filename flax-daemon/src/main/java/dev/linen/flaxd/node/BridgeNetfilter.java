package dev.linen.flaxd.node;

import dev.linen.ovs.proc.ProcessRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * br_netfilter behaviour in the node's network namespace: IPv4 and IPv6 frames that stay on the
 * pods' Linux bridge pass through iptables (and so conntrack). kube-proxy's Services need it on a
 * bridge CNI: without it the reply of a backend on the same node as its client is bridged straight
 * back, skips the reverse NAT, and arrives from the backend's address instead of the Service's
 * (the client drops it). The module is global, the {@code net.bridge.bridge-nf-call-*} sysctls are
 * per network namespace once it is loaded. ARP is left alone ({@code bridge-nf-call-arptables}).
 *
 * @param cmd runs the commands (on the host, or in a test's namespace)
 */
public record BridgeNetfilter(Commands cmd) {
    /** The sysctls set to 1, in the order they are read and written. */
    public static final List<String> KEYS = List.of("net.bridge.bridge-nf-call-iptables",
            "net.bridge.bridge-nf-call-ip6tables");

    private static final String BREAKS = "; a Service's reply from a backend on the same node as its client"
            + " will come from the backend's address: ";

    public BridgeNetfilter {
        java.util.Objects.requireNonNull(cmd, "cmd");
    }

    /** What {@link #ensure} found. */
    public sealed interface Status {
        /** br_netfilter is on; {@code repaired} says what had to be done (empty: nothing). */
        record On(List<String> repaired) implements Status {
            public On {
                repaired = List.copyOf(repaired);
            }
        }

        /** It cannot be had here; {@code reason} says why and what breaks. */
        record Unavailable(String reason) implements Status {
            public Unavailable {
                if (reason == null || reason.isBlank()) {
                    throw new IllegalArgumentException("say why br_netfilter is unavailable");
                }
            }
        }
    }

    /**
     * Makes both {@link #KEYS} read 1: when the sysctls are missing (module not loaded) runs
     * {@code modprobe br_netfilter} (once a call, so every tick while it is missing: the host may
     * load it later; its failure is tolerated and reported), then writes the
     * keys that are not 1. Steady state: one {@code sysctl -n} and nothing written. Idempotent;
     * never throws for a missing module, a missing {@code modprobe} or a read-only
     * {@code /proc/sys}: those are an {@link Status.Unavailable} naming the cause. Not for
     * concurrent calls on one node.
     *
     * @throws NodeNetworkException {@code sysctl} itself could not run
     */
    public Status ensure() {
        List<String> repaired = new ArrayList<>();
        Optional<List<String>> values = read();
        if (values.isEmpty()) {
            Optional<String> loadFailure = load();
            values = read();
            if (values.isEmpty()) {
                return new Status.Unavailable("br_netfilter is not loaded (no /proc/sys/net/bridge) and "
                        + loadFailure.orElse("modprobe br_netfilter succeeded but its sysctls did not appear")
                        + BREAKS + "load it on the host (modprobe br_netfilter)");
            }
            repaired.add("modprobe br_netfilter");
        }
        List<String> off = new ArrayList<>();
        for (int i = 0; i < KEYS.size(); i++) {
            if (!values.get().get(i).equals("1")) {
                off.add(KEYS.get(i));
            }
        }
        if (!off.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("sysctl", "-qw"));
            off.forEach(k -> argv.add(k + "=1"));
            ProcessRunner.Result r = cmd.run(argv, "");
            if (!r.ok()) {
                return new Status.Unavailable("br_netfilter is off: cannot set " + String.join(", ", off)
                        + " to 1: " + r.output().strip() + " (is /proc/sys read-only here?)" + BREAKS
                        + "set it on the host (sysctl -w " + off.get(0) + "=1)");
            }
            repaired.addAll(off);
        }
        return new Status.On(repaired);
    }

    /** The keys' values in {@link #KEYS} order, or empty when they cannot be read (module not loaded). */
    private Optional<List<String>> read() {
        List<String> argv = new ArrayList<>(List.of("sysctl", "-n"));
        argv.addAll(KEYS);
        ProcessRunner.Result r = cmd.run(argv, "");
        List<String> lines = r.output().strip().lines().map(String::strip).toList();
        return r.ok() && lines.size() == KEYS.size() ? Optional.of(lines) : Optional.empty();
    }

    /** Tries {@code modprobe br_netfilter}; empty when it succeeded, else what went wrong. */
    private Optional<String> load() {
        try {
            ProcessRunner.Result r = cmd.run(List.of("modprobe", "br_netfilter"), "");
            return r.ok() ? Optional.empty()
                    : Optional.of("modprobe br_netfilter failed (exit " + r.exit() + "): " + r.output().strip());
        } catch (NodeNetworkException e) {
            return Optional.of("modprobe br_netfilter could not run: " + e.getMessage());
        }
    }
}
