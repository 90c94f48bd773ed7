package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static dev.linen.cni.it.NodeFixture.bridges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.cni.node.SetupRecord;
import dev.linen.ovs.db.OvsdbEndpoint;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node-wide setup lock is waited for within a bound: an ADD behind a stuck holder answers
 * "try again later" (11) after 20 s, and ADDs waiting behind a setup that fails (ovs-vswitchd down:
 * the bridge's interface never appears, 10 s) answer that failure at once instead of each
 * repeating the 10 s wait.
 */
class SetupLockIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    /** AddCommand.LOCK_TIMEOUT_SECONDS. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(20);
    /** OvsSetup.LINK_TIMEOUT: how long a setup waits for ovs-vswitchd to make the bridge's interface. */
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(10);
    private static final int WAITERS = 4;

    private CniNode node;

    @BeforeEach
    void setUp() {
        node = NodeFixture.node(OVS);
        NodeFixture.addLinuxBridge(node, "kblk", false);
    }

    @AfterEach
    void cleanUp() {
        NodeFixture.removeBridges(node, "kblk", "brlk");
        node.close();
    }

    private String conf() {
        String prev = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kblk\"}],\"ips\":[]}";
        return Conflists.linenOnly("1.0.0", node.socket, node.state(), "\"ovsBridge\":\"brlk\"", prev);
    }

    private Proc add(String id) {
        return node.plugin("ADD", conf(), Map.of("CNI_CONTAINERID", id, "CNI_NETNS", "/var/run/netns/none",
                "CNI_IFNAME", "eth0"), 60);
    }

    @Test
    void aStuckHolderMakesAddAnswerTryAgainLaterWithinTheBound() throws Exception {
        Files.createDirectories(node.state(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SetupRecord record = SetupRecord.of(node.state(), new OvsdbEndpoint.UnixSocket(node.socket), "brlk");
        long start;
        Proc blocked;
        try (FileChannel ch = FileChannel.open(record.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            start = System.nanoTime();
            blocked = add("stuck-behind");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        JObject err = assertCniError(blocked, 11);
        assertTrue(took.compareTo(LOCK_TIMEOUT) >= 0, "it waited the bound first: " + took.toMillis() + " ms");
        assertTrue(took.compareTo(LOCK_TIMEOUT.plusSeconds(5)) < 0, "answered within the bound: " + took.toMillis() + " ms");
        assertTrue(err.toString().contains(record.lockFile().toString()), "names the lock: " + err);
        assertFalse(bridges(node).contains("brlk"), "nothing made while the lock was held");

        Proc free = add("after-release");
        assertEquals(0, free.exit(), "with the lock free ADD sets the node up: " + free.describe());
    }

    @Test
    void addsWaitingBehindAFailedSetupAnswerItWithinOneBound() throws Exception {
        OVS.stopVswitchd();
        try {
            long start = System.nanoTime();
            List<Proc> answers = new ArrayList<>();
            List<Long> tookMillis = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(WAITERS)) {
                List<Future<Proc>> futures = new ArrayList<>();
                for (int i = 0; i < WAITERS; i++) {
                    String id = "vswitchd-down-" + i;
                    futures.add(pool.submit(() -> add(id)));
                }
                for (Future<Proc> f : futures) {
                    answers.add(f.get()); // in order: a time taken here is at least that ADD's own
                    tookMillis.add((System.nanoTime() - start) / 1_000_000);
                }
            }
            System.out.println("ADDs behind a failing setup answered after (ms): " + tookMillis);
            Duration bound = LINK_TIMEOUT.plusSeconds(6);
            JObject first = assertCniError(answers.get(0), 100);
            for (int i = 0; i < WAITERS; i++) {
                JObject err = assertCniError(answers.get(i), 100);
                assertEquals(first.string("msg"), err.string("msg"), "one error for all: " + answers.get(i).describe());
                assertTrue(tookMillis.get(i) < bound.toMillis(), "ADD " + i + " answered after " + tookMillis.get(i)
                        + " ms, not within one bound of " + bound.toMillis() + " ms: " + tookMillis);
            }
            assertFalse(bridges(node).contains("brlk"), "the failed setup was rolled back");
        } finally {
            OVS.restartVswitchd();
        }
    }
}
