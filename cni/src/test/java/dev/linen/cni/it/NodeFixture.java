package dev.linen.cni.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue.JObject;

import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the plugin's integration tests. */
final class NodeFixture {
    private NodeFixture() {
    }

    static CniNode node(PrivateOvsExtension ovs) {
        try {
            Path work = Files.createTempDirectory(ovs.dir(), "cni-");
            return new CniNode(ovs.netns(), ovs.socket(), work);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Adds a Linux bridge (the one the bridge plugin would make) in the node's namespace, up or not. */
    static void addLinuxBridge(CniNode node, String name, boolean up) {
        Proc.ok("ip", "-n", node.netns, "link", "add", name, "type", "bridge");
        if (up) {
            Proc.ok("ip", "-n", node.netns, "link", "set", name, "up");
        }
    }

    /**
     * Removes what a test's ADDs made on the node: each OVS bridge (if it exists), then the Linux
     * bridge, whether or not the test got that far. Best effort: for {@code @AfterEach}.
     */
    static void removeBridges(CniNode node, String linuxBridge, String... ovsBridges) {
        for (String br : ovsBridges) {
            Proc.run("ovs-vsctl", "--db=unix:" + node.socket, "--timeout=10", "--if-exists", "del-br", br);
        }
        Proc.run("ip", "-n", node.netns, "link", "del", linuxBridge);
    }

    /** ovs-vsctl against the node's private OVS; stdout trimmed. */
    static String vsctl(CniNode node, String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "ovs-vsctl";
        argv[1] = "--db=unix:" + node.socket;
        argv[2] = "--timeout=10";
        System.arraycopy(args, 0, argv, 3, args.length);
        return Proc.ok(argv).trim();
    }

    static List<String> bridges(CniNode node) {
        String out = vsctl(node, "list-br");
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    static List<String> ports(CniNode node, String bridge) {
        String out = vsctl(node, "list-ports", bridge);
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    /** The Linux bridge the interface is enslaved to, read in the node's namespace. */
    static String masterOf(CniNode node, String ifname) {
        Proc p = node.exec("readlink", "/sys/class/net/" + ifname + "/master");
        return p.exit() == 0 ? Path.of(p.stdout().trim()).getFileName().toString() : "";
    }

    /** Asserts a non-zero exit with a CNI error object carrying the code on stdout. */
    static JObject assertCniError(Proc p, int code) {
        assertNotEquals(0, p.exit(), "expected a failure: " + p.describe());
        JObject err = json(p);
        assertEquals(String.valueOf(code), err.get("code").map(v -> Json.write(v)).orElse("none"), p.describe());
        assertTrue(err.string("msg").filter(m -> !m.isBlank()).isPresent(), "error needs a msg: " + p.describe());
        return err;
    }

    /** Parses stdout as a JSON object. */
    static JObject json(Proc p) {
        try {
            return (JObject) Json.parse(p.stdout().trim());
        } catch (JsonException | ClassCastException e) {
            throw new AssertionError("stdout is not a JSON object: " + p.describe(), e);
        }
    }

    /** Polls until the condition holds or the deadline passes. */
    static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
