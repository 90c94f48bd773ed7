package dev.linen.cni.it;

import static dev.linen.cni.it.NodeFixture.assertCniError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.testing.PrivateOvsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin whose installation lost classes (a half-copied upgrade): the steady state never needs it,
 * the full path does, and fails with a CNI error that names what is missing, not a Java stack
 * trace with nothing on stdout.
 */
class BrokenInstallIT {
    @RegisterExtension
    static final PrivateOvsExtension OVS = new PrivateOvsExtension();
    private CniNode node;

    @BeforeEach
    void setUp() {
        node = NodeFixture.node(OVS);
        NodeFixture.addLinuxBridge(node, "kbbi", true);
    }

    @AfterEach
    void cleanUp() {
        NodeFixture.removeBridges(node, "kbbi");
        node.close();
    }

    @Test
    void aMissingJarOnTheFullPathIsACniErrorNamingIt(@TempDir Path dir) throws Exception {
        Path target = Repo.plugin().getParent();
        Proc.ok("cp", "-a", target.resolve("linen").toString(), target.resolve("linen-runtime").toString(), dir.toString());
        // the plugin's classes and its dependencies are one jar: a half-copied one lacks some of them
        int dropped = dropEntries(dir.resolve("linen-runtime/lib/linen.jar"), "org/opendaylight/ovsdb/");
        assertTrue(dropped > 100, "the OpenDaylight OVSDB library's classes are in the merged jar: " + dropped);
        String conf = Conflists.linenOnly("1.0.0", node.socket, node.state(), "\"ovsBridge\":\"brbi\"",
                "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"kbbi\"}],\"ips\":[]}");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", node.netns, "env", "CNI_COMMAND=ADD",
                "CNI_CONTAINERID=bi", "CNI_NETNS=/var/run/netns/none", "CNI_IFNAME=eth0", "CNI_PATH=/usr/lib/cni"));
        argv.add(dir.resolve("linen").toString());
        Proc add = Proc.run(argv, java.util.Map.of(), conf);
        JObject err = assertCniError(add, 104);
        assertEquals("internal error of the linen plugin (a bug, or a broken installation)", err.string("msg").orElseThrow());
        assertTrue(err.string("details").orElseThrow().contains("NoClassDefFoundError: org/opendaylight/ovsdb/"),
                add.describe());
        assertTrue(!add.stderr().contains("\tat dev.linen"), "no stack trace: " + add.stderr());
    }

    /** Rewrites {@code jar} without the entries under {@code prefix}; returns how many were dropped. */
    private static int dropEntries(Path jar, String prefix) throws IOException {
        Path kept = jar.resolveSibling("kept.jar");
        int dropped = 0;
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(kept))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (e.getName().startsWith(prefix)) {
                    dropped++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                try (InputStream s = in.getInputStream(e)) {
                    s.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(kept, jar, StandardCopyOption.REPLACE_EXISTING);
        return dropped;
    }
}
