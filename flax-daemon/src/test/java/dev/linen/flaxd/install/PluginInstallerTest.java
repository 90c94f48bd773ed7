package dev.linen.flaxd.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install mode copies the real built plugin, and the installed copy answers VERSION. */
class PluginInstallerTest {
    private static Path builtPlugin() {
        Path target = Path.of("..", "cni", "target").toAbsolutePath().normalize();
        boolean built = Files.isExecutable(target.resolve("linen")) && Files.isDirectory(target.resolve("linen-runtime"));
        if (!built && Boolean.getBoolean("linen.requireSystem")) {
            throw new AssertionError("cni/target/linen is not built");
        }
        Assumptions.assumeTrue(built, "cni/target/linen is not built");
        return target;
    }

    @Test
    void installsOnceAndTheCopyRuns(@TempDir Path bin) throws Exception {
        Path source = builtPlugin();
        assertTrue(PluginInstaller.install(source, bin));
        assertFalse(PluginInstaller.install(source, bin), "unchanged plugin: nothing copied");
        assertTrue(Files.isSymbolicLink(bin.resolve("linen-runtime")));

        ProcessBuilder pb = new ProcessBuilder(bin.resolve("linen").toString());
        pb.environment().put("CNI_COMMAND", "VERSION");
        Process p = pb.start();
        p.getOutputStream().write("{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"supportedVersions\""), out);
    }

    @Test
    void aChangedRuntimeIsSwappedIn(@TempDir Path src, @TempDir Path bin) throws Exception {
        Files.createDirectories(src.resolve("linen-runtime/lib"));
        Files.writeString(src.resolve("linen"), "#!/bin/sh\necho v1\n");
        Files.writeString(src.resolve("linen-runtime/lib/a.jar"), "one");
        assertTrue(PluginInstaller.install(src, bin));
        Path first = Files.readSymbolicLink(bin.resolve("linen-runtime"));
        Files.writeString(src.resolve("linen-runtime/lib/a.jar"), "one plus");
        assertTrue(PluginInstaller.install(src, bin));
        Path second = Files.readSymbolicLink(bin.resolve("linen-runtime"));
        assertFalse(first.equals(second), "new runtime directory");
        assertEquals("one plus", Files.readString(bin.resolve("linen-runtime/lib/a.jar")));
    }
}
