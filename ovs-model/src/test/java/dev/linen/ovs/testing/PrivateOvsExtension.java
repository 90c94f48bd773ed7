package dev.linen.ovs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private Open vSwitch for one test class: a fresh network namespace {@code lnt-XXXXXX} with its
 * own {@code ovsdb-server} and {@code ovs-vswitchd} (userspace datapath available), all files in a
 * temp dir. Started before the class, stopped and removed after it, also when tests fail. Tests
 * never touch the system OVS. Register with {@code @RegisterExtension static final}.
 *
 * <p>When the test JVM itself runs in a namespace made for it ({@code scripts/netns/bin/java} sets
 * {@code LINEN_TEST_NETNS}), OVS runs in that namespace instead, so that a controller in the JVM
 * and OVS share a loopback. That namespace belongs to the wrapper and is not deleted here.
 *
 * <p>Without root or the OVS binaries the tests are skipped, unless the system property
 * {@code linen.requireSystem=true} (as in CI), where that is a failure.
 */
public final class PrivateOvsExtension implements BeforeAllCallback, AfterAllCallback {
    private static final long TIMEOUT_SECONDS = 60;

    private String netns;
    private boolean ownsNetns;
    private Path dir;

    /** The outcome of a command. */
    public record Result(int exit, String stdout, String stderr) {
        /** Returns this result, or throws with the output when the command failed. */
        public Result orThrow(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " exited " + exit + ": " + stdout + stderr);
            }
            return this;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireSystem();
        String shared = System.getenv("LINEN_TEST_NETNS");
        ownsNetns = shared == null || shared.isEmpty();
        netns = ownsNetns ? "lnt-" + UUID.randomUUID().toString().substring(0, 6) : shared;
        dir = Files.createTempDirectory("lnt-ovs-");
        if (ownsNetns) {
            run(List.of("ip", "netns", "add", netns), true);
        }
        try {
            run(List.of("ip", "-n", netns, "link", "set", "lo", "up"), true);
            exec(List.of(script().toString(), "start", dir.toString())).orThrow("private-ovs start");
        } catch (RuntimeException | AssertionError e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (netns == null) {
            return;
        }
        run(List.of("ip", "netns", "exec", netns, script().toString(), "stop", dir.toString()), false);
        for (String ns : namespacesWithPrefix(netns)) {
            if (ownsNetns || !ns.equals(netns)) {
                run(List.of("ip", "netns", "del", ns), false);
            }
        }
        deleteTree(dir);
        netns = null;
    }

    /** The OVSDB unix socket. */
    public Path socket() {
        return dir.resolve("db.sock");
    }

    /** The directory holding the database, sockets, pid files and logs. */
    public Path dir() {
        return dir;
    }

    /** The namespace OVS runs in; test-made namespaces should start with this name. */
    public String netns() {
        return netns;
    }

    /** Runs argv inside the namespace. */
    public Result exec(List<String> argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        all.addAll(argv);
        return run(all, false);
    }

    /** ovs-vsctl against this OVS; returns trimmed stdout, throws on failure. */
    public String vsctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + socket(), "--timeout=10"));
        argv.addAll(List.of(args));
        return run(argv, true).stdout().trim();
    }

    /** ovs-ofctl (OpenFlow 1.3) against a bridge of this OVS; returns stdout, throws on failure. */
    public String ofctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + dir, "ovs-ofctl", "-O", "OpenFlow13"));
        argv.addAll(List.of(args));
        return run(argv, true).stdout();
    }

    /** Restarts ovs-vswitchd only (the database and its socket stay). */
    public void restartVswitchd() {
        exec(List.of(script().toString(), "restart-vswitchd", dir.toString())).orThrow("restart-vswitchd");
    }

    /** Stops ovs-vswitchd only (the database and its socket stay); {@link #restartVswitchd} brings it back. */
    public void stopVswitchd() {
        exec(List.of(script().toString(), "stop-vswitchd", dir.toString())).orThrow("stop-vswitchd");
    }

    private static void requireSystem() {
        boolean required = Boolean.getBoolean("linen.requireSystem");
        String missing = !"root".equals(System.getProperty("user.name")) ? "root"
                : !Files.isExecutable(Path.of("/usr/sbin/ovs-vswitchd")) ? "openvswitch-switch"
                : !Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip")) ? "iproute2"
                : "";
        if (!missing.isEmpty()) {
            if (required) {
                throw new AssertionError("private OVS needs " + missing + " (linen.requireSystem=true)");
            }
            Assumptions.abort("private OVS needs " + missing);
        }
    }

    /** The repository's scripts/private-ovs. */
    public static Path script() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("scripts/private-ovs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/private-ovs not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("scripts/private-ovs");
    }

    private static List<String> namespacesWithPrefix(String prefix) {
        Result r = run(List.of("ip", "netns", "list"), false);
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String name = line.split(" ")[0];
            if (name.equals(prefix) || name.startsWith(prefix + "-")) {
                out.add(name);
            }
        }
        return out;
    }

    private static Result run(List<String> argv, boolean check) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            Result r = new Result(p.exitValue(), out.join(), err.join());
            if (check) {
                r.orThrow(String.join(" ", argv));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + argv, e);
        }
    }

    private static String drain(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir left behind is harmless
        }
    }
}
