package dev.linen.cni.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/linen works from any CNI_PATH directory: copied with its runtime, or symlinked. */
class LauncherIT {
    private static Proc version(Path plugin) {
        return Proc.run(List.of(plugin.toString()), Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"1.0.0\"}");
    }

    @Test
    void copiedWithItsRuntime(@TempDir Path dir) {
        Path target = Repo.plugin().getParent();
        Proc.ok("cp", "-a", target.resolve("linen").toString(), target.resolve("linen-runtime").toString(),
                dir.toString());
        Proc p = version(dir.resolve("linen"));
        assertEquals(0, p.exit(), p.describe());
        assertTrue(p.stdout().contains("\"supportedVersions\""), p.stdout());
        assertEquals("", p.stderr(), "the copied AOT cache is used without complaint");
    }

    @Test
    void symlinked(@TempDir Path dir) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("linen"), Repo.plugin());
        Proc p = version(link);
        assertEquals(0, p.exit(), p.describe());
        assertTrue(p.stdout().contains("1.1.0"), p.stdout());
    }

    /**
     * The CNI_* variables are read as UTF-8 whatever the locale: under an empty environment (as a
     * runtime may start plugins) the JDK's own view decodes them as US-ASCII. The value comes back
     * in the error message. The non-ASCII bytes are written by printf in a script, so that the
     * test JVM's own argument encoding plays no part.
     */
    @Test
    void cniVariablesAreReadAsUtf8UnderAnEmptyEnvironment(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("run-empty-env");
        Files.writeString(script, "#!/bin/sh\nexec env -i \"CNI_COMMAND=ADD$(printf '\\303\\251')\" \"$1\"\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Proc p = Proc.run(List.of(script.toString(), Repo.plugin().toString()), Map.of(), "{\"cniVersion\":\"1.0.0\"}");
        assertEquals(1, p.exit(), p.describe());
        assertTrue(p.stdout().contains("\"msg\":\"unknown CNI_COMMAND ADD\u00e9\""), p.describe());
        assertTrue(p.stdout().contains("\"code\":4"), p.describe());
    }
}
