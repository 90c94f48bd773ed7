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
}
