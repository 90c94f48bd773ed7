package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install mode: binaries only (linen and Debian's reference plugins), recorded for uninstall. */
class InstallCommandTest {
    private static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

    static Path fakeLinen(Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("linen-runtime/lib"));
        Files.writeString(src.resolve("linen"), "#!/bin/sh\n");
        Files.writeString(src.resolve("linen-runtime/lib/a.jar"), "jar");
        return src;
    }

    @Test
    void installsLinenAndTheReferencePluginsAndRecordsThemButNoConflist(@TempDir Path dir) throws Exception {
        Path version = dir.resolve("version");
        Files.writeString(version, "1.1.1+ds1-3+b5\n");
        Path bin = dir.resolve("bin");
        new InstallCommand(bin, fakeLinen(dir), DEBIAN_PLUGINS, version).run();

        assertEquals("jar", Files.readString(bin.resolve("linen-runtime/lib/a.jar")));
        for (String p : ReferencePlugins.NAMES) {
            assertEquals(-1L, Files.mismatch(DEBIAN_PLUGINS.resolve(p), bin.resolve(p)), p);
            assertTrue(Files.isExecutable(bin.resolve(p)), p);
        }
        Map<String, String> record = InstalledFiles.read(bin).entries();
        assertEquals(InstalledFiles.sha256(DEBIAN_PLUGINS.resolve("bridge")), record.get("bridge"));
        assertEquals("-", record.get("linen-runtime"));
        assertTrue(record.containsKey("linen"));
        assertEquals(7, record.size(), record.toString());   // 4 plugins, launcher, runtime link, runtime dir
        try (var names = Files.list(bin)) {
            assertFalse(names.anyMatch(p -> p.getFileName().toString().endsWith(".linen-tmp")), "no temp files left");
        }
        var before = Files.getLastModifiedTime(bin.resolve("bridge"));
        new InstallCommand(bin, fakeLinen(dir), DEBIAN_PLUGINS, version).run();
        assertEquals(before, Files.getLastModifiedTime(bin.resolve("bridge")), "second run writes nothing");
    }
}
