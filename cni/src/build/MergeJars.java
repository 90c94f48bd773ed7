import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build-time only (run from make-launcher with the JDK's source launcher): merges the plugin's jar
 * and its dependencies into the one jar the launcher puts on the class path. One entry instead of
 * twenty: at every start the JVM turns each class-path entry into a URL and checks it against the
 * AOT cache, which a steady-state ADD paid for (about 0.7 ms in A/B rounds, see README).
 *
 * <p>Rules, so the merged jar serves the same classes and resources the separate jars did:
 * <ul>
 *   <li>a class or resource in two jars must be byte-for-byte the same, else the build fails;</li>
 *   <li>{@code META-INF/services/*} and netty's {@code META-INF/io.netty.versions.properties} are
 *       concatenated (every jar's lines are read by their users);</li>
 *   <li>files directly in {@code META-INF/} (licences, notices) move to
 *       {@code META-INF/bundled/JAR/}, so every jar's licence and notice is kept;</li>
 *   <li>a multi-release jar is read as the runtime reads it: each entry in the version for this
 *       JDK's release (the one make-launcher jlinks the plugin's runtime from), so the merged jar
 *       needs no {@code Multi-Release} manifest;</li>
 *   <li>dropped: manifests, OSGi's too (the merged jar has none: the JVM reads an app jar's
 *       manifest at every start, to define each package, which cost a steady-state ADD about
 *       0.3 ms), {@code INDEX.LIST} (it would index the wrong jar), signatures (none are signed; a
 *       signature no longer matches a merged jar) and {@code module-info.class} (a class path,
 *       not modules).</li>
 * </ul>
 * Entries get a fixed time, so the same inputs give the same bytes.
 * Usage: {@code java MergeJars.java OUT.jar IN.jar...}; OUT is written through a temporary file.
 */
public final class MergeJars {
    /** Every entry's time, as local date-time fields: the same bytes in any timezone. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, String> origin = new LinkedHashMap<>();
    private final List<String> conflicts = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java MergeJars.java OUT.jar IN.jar...");
            System.exit(2);
        }
        MergeJars m = new MergeJars();
        for (String in : Arrays.asList(args).subList(1, args.length)) {
            m.add(Path.of(in));
        }
        if (!m.conflicts.isEmpty()) {
            System.err.println("MergeJars: different contents under one name:\n  " + String.join("\n  ", m.conflicts));
            System.exit(1);
        }
        m.write(Path.of(args[0]));
    }

    /** Reads every entry of {@code jar} into the merge (see the rules above). Not thread-safe. */
    private void add(Path jar) throws IOException {
        String jarName = jar.getFileName().toString();
        try (JarFile in = new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version())) {
            for (JarEntry e : in.versionedStream().toList()) {
                if (e.isDirectory()) {
                    continue;
                }
                byte[] bytes;
                try (var s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                place(jarName, e.getName(), bytes);
            }
        }
    }

    /** Puts one entry in the merge, or notes a conflict; dropped names are ignored. Not thread-safe. */
    private void place(String jarName, String name, byte[] bytes) {
        if (isDropped(name)) {
            return;
        }
        if (name.startsWith("META-INF/services/") || name.equals("META-INF/io.netty.versions.properties")) {
            byte[] before = entries.getOrDefault(name, new byte[0]);
            entries.put(name, concat(before, bytes));
            return;
        }
        String target = isTopLevelMetaInf(name)
                ? "META-INF/bundled/" + jarName + "/" + name.substring("META-INF/".length()) : name;
        byte[] have = entries.get(target);
        if (have == null) {
            entries.put(target, bytes);
            origin.put(target, jarName);
        } else if (!Arrays.equals(have, bytes)) {
            conflicts.add(target + " (" + origin.get(target) + ", " + jarName + ")");
        }
    }

    private static boolean isDropped(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF") || upper.equals("OSGI-INF/MANIFEST.MF")
                || upper.equals("META-INF/INDEX.LIST")
                || name.equals("module-info.class") || name.endsWith("/module-info.class")
                || (isTopLevelMetaInf(name) && (upper.endsWith(".SF") || upper.endsWith(".RSA")
                        || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-")));
    }

    private static boolean isTopLevelMetaInf(String name) {
        return name.startsWith("META-INF/") && name.indexOf('/', "META-INF/".length()) < 0;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        boolean newline = a.length > 0 && a[a.length - 1] != '\n';
        byte[] out = Arrays.copyOf(a, a.length + (newline ? 1 : 0) + b.length);
        if (newline) {
            out[a.length] = '\n';
        }
        System.arraycopy(b, 0, out, out.length - b.length, b.length);
        return out;
    }

    /** Writes the merge to {@code out}, all or nothing (a temporary file renamed over it). */
    private void write(Path out) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream jar = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                putEntry(jar, e.getKey(), e.getValue());
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putEntry(ZipOutputStream jar, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED_TIME);
        jar.putNextEntry(e);
        jar.write(bytes);
        jar.closeEntry();
    }
}
