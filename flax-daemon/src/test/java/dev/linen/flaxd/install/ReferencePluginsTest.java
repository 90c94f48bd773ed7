package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which reference plugin wins on a node: never a downgrade, never a file Linen cannot compare. */
class ReferencePluginsTest {
    private static final PluginVersion OURS = new PluginVersion(1, 1, 1);

    private static ReferencePlugins.Decision decide(String existing, String recorded, PluginVersion theirs) {
        return ReferencePlugins.decide("ours", OURS, Optional.ofNullable(existing), Optional.ofNullable(recorded),
                Optional.ofNullable(theirs));
    }

    @Test
    void decisions() {
        assertInstanceOf(ReferencePlugins.Decision.Install.class, decide(null, null, null));
        assertInstanceOf(ReferencePlugins.Decision.Keep.class, decide("ours", "ours", OURS));
        assertInstanceOf(ReferencePlugins.Decision.Keep.class, decide("other", null, new PluginVersion(1, 4, 0)));
        assertInstanceOf(ReferencePlugins.Decision.Keep.class, decide("other", "other", new PluginVersion(1, 2, 0)),
                "Linen's earlier copy, but a newer release: kept");
        assertInstanceOf(ReferencePlugins.Decision.Keep.class, decide("other", null, null), "unknown release");
        assertInstanceOf(ReferencePlugins.Decision.Keep.class, decide("other", null, OURS), "same release, not ours");
        assertInstanceOf(ReferencePlugins.Decision.Install.class, decide("old", "old", null));
        assertInstanceOf(ReferencePlugins.Decision.ReplaceForeign.class, decide("other", null, new PluginVersion(0, 9, 1)));
    }

    @Test
    void versionsFromAboutTextAndPackages() {
        assertEquals(Optional.of(new PluginVersion(1, 4, 0)), PluginVersion.find("CNI bridge plugin v1.4.0"));
        assertEquals(Optional.of(new PluginVersion(0, 9, 1)), PluginVersion.find("CNI host-local plugin version v0.9.1"));
        assertEquals(Optional.empty(), PluginVersion.find("CNI bridge plugin version unknown"));
        assertEquals(new PluginVersion(1, 1, 1), PluginVersion.ofPackage("1.1.1+ds1-3+b5\n"));
        assertThrows(IllegalArgumentException.class, () -> PluginVersion.ofPackage("unknown"));
        assertTrue(new PluginVersion(1, 10, 0).compareTo(new PluginVersion(1, 9, 9)) > 0);
    }

    /** A script that prints what a reference plugin of that release prints with no CNI_COMMAND. */
    private static void plugin(Path file, String release) throws Exception {
        Files.writeString(file, "#!/bin/sh\necho 'CNI " + file.getFileName() + " plugin " + release
                + "'\necho 'CNI protocol versions supported: 0.1.0, 1.0.0'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aNewerNodePluginStaysAnOlderOneIsMovedAsideAndAnUnknownOneStays(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        plugin(bin.resolve("bridge"), "v1.4.0");
        plugin(bin.resolve("host-local"), "v0.8.6");
        plugin(bin.resolve("portmap"), "version unknown");
        String newer = Files.readString(bin.resolve("bridge"));
        String older = Files.readString(bin.resolve("host-local"));
        InstalledFiles record = InstalledFiles.read(bin);

        assertEquals(2, ReferencePlugins.install(Path.of("/usr/lib/cni"), OURS, bin, record));
        assertEquals(newer, Files.readString(bin.resolve("bridge")), "never downgraded");
        assertEquals(-1L, Files.mismatch(Path.of("/usr/lib/cni/host-local"), bin.resolve("host-local")));
        assertEquals(older, Files.readString(bin.resolve(".host-local.linen-replaced")));
        assertTrue(Files.readString(bin.resolve("portmap")).contains("version unknown"), "unknown: kept");
        assertEquals(-1L, Files.mismatch(Path.of("/usr/lib/cni/loopback"), bin.resolve("loopback")), "absent: installed");
        assertEquals(java.util.Set.of("host-local", "loopback"), record.entries().keySet());
    }
}
