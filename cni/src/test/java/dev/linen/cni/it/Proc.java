package dev.linen.cni.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command (argv, never a shell) with a deadline; the outcome of one run. */
record Proc(List<String> argv, int exit, String stdout, String stderr) {
    static final long TIMEOUT_SECONDS = 120;

    static Proc run(List<String> argv, Map<String, String> env, String stdin) {
        return run(argv, env, stdin, TIMEOUT_SECONDS);
    }

    /** Runs with a deadline of its own; a run past it is killed and fails the test. */
    static Proc run(List<String> argv, Map<String, String> env, String stdin, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + argv);
            }
            return new Proc(argv, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    static Proc run(String... argv) {
        return run(List.of(argv), Map.of(), "");
    }

    /** Runs and requires exit 0. */
    static String ok(String... argv) {
        Proc p = run(argv);
        if (p.exit() != 0) {
            throw new AssertionError(p.describe());
        }
        return p.stdout();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String describe() {
        return argv + " exited " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
}
