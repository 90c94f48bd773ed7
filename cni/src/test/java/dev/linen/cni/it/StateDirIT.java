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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The state directory root writes its lock and record in: made 0700 with 0600 files whatever the
 * umask, refused (code 103, nothing changed) when another user owns it, others can write it, or
 * one of its files is a symbolic link — whose target stays as it was.
 */
class StateDirIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();

    private static final Map<String, String> POD = Map.of("CNI_CONTAINERID", "state-dir", "CNI_NETNS",
            "/var/run/netns/none", "CNI_IFNAME", "eth0");

    private CniNode node;
    private SetupRecord record;

    @BeforeEach
    void setUp() {
        node = NodeFixture.node(OVS);
        NodeFixture.addLinuxBridge(node, "kbsd", false);
        record = SetupRecord.of(node.state(), new OvsdbEndpoint.UnixSocket(node.socket), "brsd");
    }

    @AfterEach
    void cleanUp() {
        NodeFixture.removeBridges(node, "kbsd", "brsd");
        node.close();
    }

    private String conf() {
        String prev = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kbsd\"}],\"ips\":[]}";
        return Conflists.linenOnly("1.0.0", node.socket, node.state(), "\"ovsBridge\":\"brsd\"", prev);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private void makeStateDir(String mode) throws IOException {
        Files.createDirectories(node.state());
        Files.setPosixFilePermissions(node.state(), PosixFilePermissions.fromString(mode));
    }

    private void assertRefused(Proc add, String what) {
        JObject err = assertCniError(add, 103);
        assertTrue(err.string("msg").orElse("").contains(what), add.describe());
        assertFalse(bridges(node).contains("brsd"), "nothing set up from an unsafe stateDir");
        assertFalse(Files.exists(record.file(), LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(record.file()),
                "no record written");
    }

    @Test
    void modesDoNotDependOnTheUmask() throws IOException {
        Proc add = node.pluginUnderUmask000("ADD", conf(), POD);
        assertEquals(0, add.exit(), add.describe());
        assertEquals("rwx------", mode(node.state()));
        assertEquals("rw-------", mode(record.file()));
        assertEquals("rw-------", mode(record.lockFile()));
    }

    @ParameterizedTest(name = "KEY.{0}")
    @ValueSource(strings = {"setup", "setup.tmp", "lock"})
    void aPlantedSymlinkIsRefusedAndItsTargetLeftAsItWas(String suffix) throws IOException {
        makeStateDir("rwx------");
        Path target = Files.writeString(node.work.resolve("precious"), "precious\n");
        Path link = node.state().resolve(record.key() + "." + suffix);
        Files.createSymbolicLink(link, target);
        assertRefused(node.plugin("ADD", conf(), POD), "symbolic link");
        assertEquals("precious\n", Files.readString(target));
        assertEquals("rw-r--r--", mode(target));
        assertTrue(Files.isSymbolicLink(link), "the link is left for the operator to look at");
    }

    @Test
    void aStateDirOfAnotherUserIsRefused() throws IOException {
        makeStateDir("rwx------");
        Files.setAttribute(node.state(), "unix:uid", 65534);
        assertRefused(node.plugin("ADD", conf(), POD), "owned by uid 65534");
    }

    @Test
    void aStateDirOthersCanWriteIsRefused() throws IOException {
        makeStateDir("rwxrwxrwx");
        assertRefused(node.plugin("ADD", conf(), POD), "writable by group or others");
    }

    @Test
    void aStateDirThatIsASymlinkIsRefused() throws IOException {
        Path elsewhere = Files.createDirectory(node.work.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(node.state(), elsewhere);
        assertRefused(node.plugin("ADD", conf(), POD), "symbolic link");
        try (var entries = Files.list(elsewhere)) {
            assertEquals(0, entries.count(), "nothing written through the link");
        }
    }

    /** The steady state trusts a record only in a safe directory: loosened later, it is refused. */
    @Test
    void aRecordInADirectoryLoosenedAfterSetupIsNotTrusted() throws IOException {
        assertEquals(0, node.plugin("ADD", conf(), POD).exit());
        Files.setPosixFilePermissions(node.state(), PosixFilePermissions.fromString("rwxrwxrwx"));
        JObject err = assertCniError(node.plugin("ADD", conf(), POD), 103);
        assertTrue(err.string("msg").orElse("").contains("writable by group or others"), err.toString());
    }
}
