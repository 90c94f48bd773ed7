package dev.linen.cni.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's class path is one jar, merged by cni/src/build/MergeJars.java: checked on the built
 * runtime, and on small hand-made jars for each merge rule.
 */
class MergeJarsIT {
    /** The JDK 25 this test runs on, as make-launcher runs MergeJars on the build's JDK 25. */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theBuiltRuntimeHasOneJarOnItsClassPath() throws IOException {
        Path target = Repo.plugin().getParent();
        try (Stream<Path> lib = Files.list(target.resolve("linen-runtime/lib"))) {
            assertEquals(List.of("linen.jar"), lib.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(target.resolve("linen")).contains("-cp \"$rt/lib/linen.jar\" dev.linen.cni.Linen"));
        try (JarFile jar = new JarFile(target.resolve("linen-runtime/lib/linen.jar").toFile())) {
            assertTrue(jar.getEntry("dev/linen/cni/Linen.class") != null, "the plugin's own classes");
            assertTrue(jar.getEntry("org/opendaylight/ovsdb/lib/OvsdbClient.class") != null, "a dependency's classes");
            assertEquals("com.fasterxml.jackson.databind.ObjectMapper",
                    text(jar, "META-INF/services/com.fasterxml.jackson.core.ObjectCodec").trim());
            assertNull(jar.getEntry("module-info.class"));
        }
    }

    @Test
    void servicesAreJoinedLicencesKeptPerJarVersionsResolvedAndModuleFilesDropped(@TempDir Path dir) throws IOException {
        Path a = jar(dir.resolve("a.jar"), Map.of("p/A.class", "class A", "p/Same.class", "same",
                "META-INF/services/x.Service", "p.One", "META-INF/LICENSE", "licence of a",
                "module-info.class", "module a", "META-INF/INDEX.LIST", "JarIndex-Version: 1.0"));
        Path b = jar(dir.resolve("b.jar"), Map.of("p/B.class", "class B", "p/Same.class", "same",
                "META-INF/services/x.Service", "p.Two\n", "META-INF/LICENSE", "licence of b",
                "META-INF/versions/9/module-info.class", "module b", "META-INF/versions/17/p/B.class", "class B17",
                "META-INF/versions/11/p/B.class", "class B11", "META-INF/versions/999/p/B.class", "class B999",
                "META-INF/versions/21/p/Only21.class", "only in 21", "META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n"));
        Path c = jar(dir.resolve("c.jar"), Map.of("META-INF/versions/17/q/C.class", "not multi-release: a resource",
                "OSGI-INF/MANIFEST.MF", "Bundle-Name: c", "META-INF/SIG-C", "signature", "q/MANIFEST.MF", "kept"));
        Path out = dir.resolve("out.jar");
        Proc p = merge(out, a, b, c);
        assertEquals(0, p.exit(), p.describe());
        try (JarFile jar = new JarFile(out.toFile())) {
            assertEquals("class A", text(jar, "p/A.class"));
            assertEquals("class B17", text(jar, "p/B.class"), "a multi-release jar as JDK 25 reads it");
            assertEquals("only in 21", text(jar, "p/Only21.class"));
            assertNull(jar.getEntry("META-INF/versions/17/p/B.class"));
            assertEquals("not multi-release: a resource", text(jar, "META-INF/versions/17/q/C.class"));
            assertEquals("same", text(jar, "p/Same.class"));
            assertEquals("p.One\np.Two\n", text(jar, "META-INF/services/x.Service"));
            assertEquals("licence of a", text(jar, "META-INF/bundled/a.jar/LICENSE"));
            assertEquals("licence of b", text(jar, "META-INF/bundled/b.jar/LICENSE"));
            assertNull(jar.getEntry("META-INF/LICENSE"));
            assertNull(jar.getEntry("module-info.class"));
            assertNull(jar.getEntry("META-INF/versions/9/module-info.class"));
            assertNull(jar.getEntry("META-INF/INDEX.LIST"));
            assertNull(jar.getManifest(), "no manifest: the JVM would read it at every start");
            assertNull(jar.getEntry("META-INF/bundled/b.jar/MANIFEST.MF"));
            assertNull(jar.getEntry("OSGI-INF/MANIFEST.MF"));
            assertNull(jar.getEntry("META-INF/bundled/c.jar/SIG-C"));
            assertEquals("kept", text(jar, "q/MANIFEST.MF"), "only manifests are dropped, not every name ending so");
        }
    }

    @Test
    void twoDifferentClassesUnderOneNameFailTheBuild(@TempDir Path dir) throws IOException {
        Path a = jar(dir.resolve("a.jar"), Map.of("p/A.class", "class A"));
        Path c = jar(dir.resolve("c.jar"), Map.of("p/A.class", "another class A"));
        Path out = dir.resolve("out.jar");
        Proc p = merge(out, a, c);
        assertNotEquals(0, p.exit(), p.describe());
        assertTrue(p.stderr().contains("p/A.class (a.jar, c.jar)"), p.describe());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void theSameInputsGiveTheSameBytes(@TempDir Path dir) throws IOException {
        Path a = jar(dir.resolve("a.jar"), Map.of("p/A.class", "class A", "META-INF/NOTICE", "n"));
        Path one = dir.resolve("one.jar");
        Path two = dir.resolve("two.jar");
        assertEquals(0, merge(one, Map.of("TZ", "UTC"), a).exit());
        assertEquals(0, merge(two, Map.of("TZ", "Pacific/Kiritimati"), a).exit()); // 14 hours ahead
        assertEquals(-1L, Files.mismatch(one, two), "a reproducible jar (fixed entry times, whatever the timezone)");
    }

    private static Proc merge(Path out, Path... in) {
        return merge(out, Map.of(), in);
    }

    private static Proc merge(Path out, Map<String, String> env, Path... in) {
        List<String> argv = new java.util.ArrayList<>(List.of(JAVA,
                Repo.root().resolve("cni/src/build/MergeJars.java").toString(), out.toString()));
        for (Path p : in) {
            argv.add(p.toString());
        }
        return Proc.run(argv, env, "");
    }

    private static Path jar(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry e = jar.getEntry(name);
        assertTrue(e != null, "entry " + name);
        try (var in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
