package dev.linen.cni.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.linen.cni.Linen;
import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JArray;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SysNet;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generated CNI calls ({@link FuzzInputs}) against a node with real OVS (an existing netdev bridge
 * {@code fzb0} with its own settings, {@code fzb1} made and removed along the way) and real Linux
 * bridges. Each call must be answered within 10 s with a valid result or a CNI error object with a
 * known code, and an ADD that fails must leave OVS, the links and the setup records as they were.
 *
 * <p>Half the cases come from a fixed seed, half from a seed of this run (printed; pass it back as
 * {@code -Dlinen.fuzz.seed=N} to replay the same sequence). Most run in this JVM through the
 * plugin's entry point {@link Linen#run}; cases 0, 20, 40, ... run the built plugin binary instead
 * (when their stdin is UTF-8 and CNI_COMMAND is set: the runner passes text and sets the command).
 * The JVM runs in a namespace of its own with OVS (the failsafe "fuzz" execution), so the
 * in-process plugin sees the node's links as the binary does.
 */
class AddFuzzIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    static final long FIXED_SEED = 0x11E4_F022L;
    static final int CASES = Integer.getInteger("linen.fuzz.cases", 1000);
    static final Duration PER_CALL = Duration.ofSeconds(10);
    static final Duration WHOLE_RUN = Duration.ofMinutes(4);
    static final Set<Long> CODES = Set.of(1L, 2L, 4L, 5L, 6L, 7L, 11L, 50L, 100L, 101L, 102L, 103L);
    static final int BINARY_EVERY = 20;

    private static CniNode node;
    private static FuzzInputs inputs;
    private static ExecutorService caller;

    @BeforeAll
    static void node() throws Exception {
        if (System.getenv("LINEN_TEST_NETNS") == null) {
            Assumptions.abort("runs in the failsafe execution 'fuzz' (JVM in a namespace of its own with OVS)");
        }
        node = NodeFixture.node(OVS);
        for (String kbr : FuzzInputs.LINUX_BRIDGES) {
            Proc.ok("ip", "link", "add", kbr, "type", "bridge");
            Proc.ok("ip", "link", "set", kbr, "up");
        }
        operatorBridge();
        Path aFile = Files.writeString(node.work.resolve("state-is-a-file"), "x");
        Path open = Files.createDirectory(node.work.resolve("state-0777"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(node.work.resolve("state-link"), node.state());
        inputs = new FuzzInputs(node.socket, node.state(), List.of(aFile, open, link));
        caller = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void cleanUp() {
        if (caller != null) {
            caller.shutdownNow();
        }
        if (node != null) {
            node.close();
            for (String kbr : FuzzInputs.LINUX_BRIDGES) {
                Proc.run("ip", "link", "del", kbr);
            }
        }
    }

    /** fzb0 as an operator made it: netdev, secure, OpenFlow13, a controller, an id of its own. */
    private static void operatorBridge() {
        NodeFixture.vsctl(node, "--may-exist", "add-br", "fzb0", "--", "set", "bridge", "fzb0", "datapath_type=netdev",
                "fail_mode=secure", "protocols=OpenFlow13", "external_ids:owner=operator");
        NodeFixture.vsctl(node, "set-controller", "fzb0", "tcp:127.0.0.1:6999");
    }

    @Test
    void everyCallIsAnsweredAndAFailedAddChangesNothing() throws Exception {
        long runSeed = Long.getLong("linen.fuzz.seed", System.nanoTime());
        System.out.println("AddFuzzIT: " + CASES + " cases, seeds " + FIXED_SEED + " (fixed) and " + runSeed
                + " (this run; replay with -Dlinen.fuzz.seed=" + runSeed + ")");
        long deadline = System.nanoTime() + WHOLE_RUN.toNanos();
        Tally tally = new Tally();
        NodeState before = NodeState.read(node, Path.of("/sys/class/net"));
        for (int i = 0; i < CASES; i++) {
            assertTrue(System.nanoTime() < deadline, "the run took over " + WHOLE_RUN + " at case " + i + ": " + tally);
            if (i > 0 && i % 150 == 0) {
                // the creation path again: fzb1 goes, fzb0 gets its operator's settings back
                NodeFixture.vsctl(node, "--if-exists", "del-br", "fzb1");
                operatorBridge();
                before = NodeState.read(node, Path.of("/sys/class/net"));
            }
            long seed = i < CASES / 2 ? FIXED_SEED : runSeed;
            FuzzInputs.Case c = inputs.generate(seed, i);
            boolean binary = c.utf8() && !c.command().isEmpty() && i % BINARY_EVERY == 0;
            Answer a = binary ? viaBinary(c) : inProcess(c);
            check(c, a);
            tally.count(c.command(), a);
            if (c.command().equals("ADD")) {
                NodeState after = NodeState.read(node, Path.of("/sys/class/net"));
                if (a.rc() != 0) {
                    String diff = before.diff(after);
                    assertEquals("", diff, "a failed ADD changed the node (" + c + ", answer " + a.out() + ")");
                }
                before = after;
            }
        }
        System.out.println("AddFuzzIT: " + tally);
        assertTrue(tally.addOk > 0 && tally.addFailed > 0 && tally.binary >= CASES / BINARY_EVERY / 2,
                "the inputs reach both outcomes and the binary: " + tally);
    }

    /** The plugin's answer to one call and how long it took. */
    record Answer(int rc, String out, long millis, boolean binary) {
    }

    private static Answer inProcess(FuzzInputs.Case c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = System.nanoTime();
        Future<Integer> rc = caller.submit(() -> new Linen(SysNet.system()).run(c.env(),
                new ByteArrayInputStream(c.stdin()), out));
        try {
            int code = rc.get(PER_CALL.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(code, out.toString(StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000, false);
        } catch (TimeoutException e) {
            rc.cancel(true);
            return fail("no answer within " + PER_CALL + " to " + c);
        }
    }

    private static Answer viaBinary(FuzzInputs.Case c) {
        Map<String, String> env = new java.util.LinkedHashMap<>(c.env());
        env.remove("CNI_COMMAND");
        long start = System.nanoTime();
        Proc p = node.plugin(c.command(), c.stdinText(), env, PER_CALL.toSeconds());
        return new Answer(p.exit(), p.stdout(), (System.nanoTime() - start) / 1_000_000, true);
    }

    /** Within the time, and a result of the command's kind or an error object with a known code. */
    private static void check(FuzzInputs.Case c, Answer a) {
        assertTrue(a.millis() < PER_CALL.toMillis(), "answered after " + a.millis() + " ms: " + c);
        if (a.rc() != 0) {
            JObject err = object(a, c);
            JsonValue code = err.get("code").orElse(JsonValue.JNull.NULL);
            assertTrue(code instanceof JNumber n && CODES.contains(Long.parseLong(n.text())),
                    "error code must be one of " + CODES + ": " + a.out() + " for " + c);
            assertTrue(err.string("msg").filter(m -> !m.isBlank()).isPresent(), "error needs a msg: " + a.out());
            assertTrue(FuzzInputs.VERSIONS.contains(err.string("cniVersion").orElse("")), "error version: " + a.out());
            return;
        }
        switch (c.command()) {
            case "ADD" -> assertTrue(FuzzInputs.VERSIONS.contains(object(a, c).string("cniVersion").orElse("")),
                    "an ADD result names its version: " + a.out() + " for " + c);
            case "VERSION" -> assertEquals(List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"),
                    object(a, c).array("supportedVersions").map(JArray::items).orElse(List.of()).stream()
                            .map(v -> ((JsonValue.JString) v).value()).toList(), a.out());
            case "DEL", "CHECK", "STATUS", "GC" -> assertEquals("", a.out(), "no output on success: " + c);
            default -> fail("an unknown command succeeded: " + c + " answered " + a.out());
        }
    }

    private static JObject object(Answer a, FuzzInputs.Case c) {
        try {
            if (Json.parse(a.out()) instanceof JObject o) {
                return o;
            }
        } catch (JsonException e) {
            // reported below
        }
        return fail("stdout is not a JSON object (rc " + a.rc() + "): " + a.out() + " for " + c);
    }

    /** Counts for the closing line. */
    static final class Tally {
        int addOk;
        int addFailed;
        int others;
        int binary;
        long slowestMillis;
        final Map<String, Integer> addErrors = new java.util.TreeMap<>();

        void count(String command, Answer a) {
            if (command.equals("ADD")) {
                if (a.rc() == 0) {
                    addOk++;
                } else {
                    addFailed++;
                    addErrors.merge(codeOf(a), 1, Integer::sum);
                }
            } else {
                others++;
            }
            binary += a.binary() ? 1 : 0;
            slowestMillis = Math.max(slowestMillis, a.millis());
        }

        private static String codeOf(Answer a) {
            try {
                return Json.parse(a.out()) instanceof JObject o ? o.get("code").map(Json::write).orElse("none") : "?";
            } catch (JsonException e) {
                return "?";
            }
        }

        @Override
        public String toString() {
            return "ADD ok " + addOk + ", ADD failed " + addFailed + ", other commands " + others + ", via the binary "
                    + binary + ", slowest answer " + slowestMillis + " ms, failed ADDs by code " + addErrors;
        }
    }
}
