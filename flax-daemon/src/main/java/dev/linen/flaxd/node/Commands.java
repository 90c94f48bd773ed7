package dev.linen.flaxd.node;

import dev.linen.ovs.proc.CommandException;
import dev.linen.ovs.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs node commands (iptables, ip, sysctl) as argv, never through a shell, optionally inside a
 * network namespace ({@code ip netns exec NS}: how tests and the lab give each node its own),
 * through the shared {@link ProcessRunner}: 30 s per command, whatever the command does with its
 * output, and at most 8 MiB of output kept. A command that could not run or overran is a
 * {@link NodeNetworkException} naming it; a non-zero exit is a {@link ProcessRunner.Result}.
 * Thread-safe.
 */
public record Commands(List<String> prefix) {
    private static final ProcessRunner RUNNER = new ProcessRunner(Duration.ofSeconds(30), 8 << 20);

    public Commands {
        prefix = List.copyOf(prefix);
    }

    public static Commands host() {
        return new Commands(List.of());
    }

    public static Commands inNetns(String netns) {
        return new Commands(List.of("ip", "netns", "exec", netns));
    }

    /** Runs {@code argv} with {@code stdin} as its input (none when empty). */
    public ProcessRunner.Result run(List<String> argv, String stdin) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(argv);
        try {
            return stdin.isEmpty() ? RUNNER.run(all) : RUNNER.run(all, stdin);
        } catch (CommandException e) {
            throw new NodeNetworkException(e.getMessage(), e);
        }
    }

    /** Runs {@code argv} with no input. */
    public ProcessRunner.Result run(String... argv) {
        return run(List.of(argv), "");
    }

    /** Runs and requires success; returns the output. */
    public String must(String... argv) {
        ProcessRunner.Result r = run(argv);
        if (!r.ok()) {
            throw new NodeNetworkException(String.join(" ", argv) + " failed: " + r.output().trim());
        }
        return r.output();
    }
}
