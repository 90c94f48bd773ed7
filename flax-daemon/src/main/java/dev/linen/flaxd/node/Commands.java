package dev.linen.flaxd.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs node commands (iptables, ip, sysctl) as argv, never through a shell, optionally inside a
 * network namespace ({@code ip netns exec NS}: how tests and the lab give each node its own).
 * Thread-safe.
 */
public record Commands(List<String> prefix) {
    private static final long TIMEOUT_SECONDS = 30;

    public Commands {
        prefix = List.copyOf(prefix);
    }

    public static Commands host() {
        return new Commands(List.of());
    }

    public static Commands inNetns(String netns) {
        return new Commands(List.of("ip", "netns", "exec", netns));
    }

    /** The outcome of a command. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    public Result run(List<String> argv, String stdin) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(argv);
        try {
            Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NodeNetworkException("timed out: " + all);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new NodeNetworkException("cannot run " + all + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeNetworkException("interrupted: " + all);
        }
    }

    public Result run(String... argv) {
        return run(List.of(argv), "");
    }

    /** Runs and requires success. */
    public String must(String... argv) {
        Result r = run(argv);
        if (!r.ok()) {
            throw new NodeNetworkException(String.join(" ", argv) + " failed: " + r.output().trim());
        }
        return r.output();
    }
}
