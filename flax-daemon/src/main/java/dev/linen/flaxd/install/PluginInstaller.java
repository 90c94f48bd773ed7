package dev.linen.flaxd.install;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Copies the linen plugin (launcher + {@code linen-runtime}) into a CNI bin directory, atomically
 * and only when it changed: the runtime goes to a directory named after its content's fingerprint,
 * then the {@code linen-runtime} symlink and the launcher are swapped in by rename. A runtime
 * calling the plugin meanwhile sees the old one or the new one, never half of either.
 */
public final class PluginInstaller {
    static final String LAUNCHER = "linen";
    static final String RUNTIME = "linen-runtime";

    private PluginInstaller() {
    }

    /** As {@link #install(Path, Path, InstalledFiles)}, saving the bin directory's record. */
    public static boolean install(Path source, Path binDir) throws IOException {
        InstalledFiles record = InstalledFiles.read(binDir);
        boolean copied = install(source, binDir, record);
        record.save();
        return copied;
    }

    /**
     * Installs the plugin and records its entries (launcher, runtime link, versioned runtime) in
     * {@code record} (the caller saves it). Idempotent; returns whether anything was copied.
     */
    public static boolean install(Path source, Path binDir, InstalledFiles record) throws IOException {
        boolean copied = swapIn(source, binDir);
        record.put(LAUNCHER, InstalledFiles.sha256(binDir.resolve(LAUNCHER)));
        record.put(RUNTIME, InstalledFiles.NO_DIGEST);
        record.put(Files.readSymbolicLink(binDir.resolve(RUNTIME)).toString(), InstalledFiles.NO_DIGEST);
        return copied;
    }

    private static boolean swapIn(Path source, Path binDir) throws IOException {
        String version = fingerprint(source.resolve(RUNTIME));
        Path versioned = binDir.resolve("." + RUNTIME + "-" + version);
        Path link = binDir.resolve(RUNTIME);
        boolean current = Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().equals(versioned.getFileName().toString())
                && Files.isRegularFile(binDir.resolve(LAUNCHER))
                && Files.mismatch(binDir.resolve(LAUNCHER), source.resolve(LAUNCHER)) == -1;
        if (current) {
            return false;
        }
        Files.createDirectories(binDir);
        if (!Files.isDirectory(versioned)) {
            Path staging = Files.createTempDirectory(binDir, ".linen-staging");
            copyTree(source.resolve(RUNTIME), staging);
            Files.move(staging, versioned, StandardCopyOption.ATOMIC_MOVE);
        }
        Path tmpLink = binDir.resolve("." + RUNTIME + ".link");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, versioned.getFileName());
        Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path tmpLauncher = binDir.resolve("." + LAUNCHER + ".tmp");
        Files.copy(source.resolve(LAUNCHER), tmpLauncher, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(tmpLauncher, binDir.resolve(LAUNCHER), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /** A short fingerprint of the runtime's file names and sizes (jars and AOT cache change both). */
    static String fingerprint(Path runtime) throws IOException {
        long h = 1125899906842597L;
        try (Stream<Path> files = Files.walk(runtime)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String entry = runtime.relativize(p) + ":" + Files.size(p);
                for (int i = 0; i < entry.length(); i++) {
                    h = 31 * h + entry.charAt(i);
                }
            }
        }
        return HexFormat.of().toHexDigits(h);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
