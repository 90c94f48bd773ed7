package dev.linen.flaxd.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Linen installed into a CNI bin directory, kept in that directory ({@code .linen-installed},
 * one {@code name sha256} line per entry, {@code -} for a directory or symlink), so that uninstall
 * removes exactly that and never a plugin someone else put there. Not thread-safe (one installer
 * per node at a time: the init container).
 */
public final class InstalledFiles {
    static final String FILE = ".linen-installed";
    /** The sha256 field of an entry that is a directory or symlink. */
    static final String NO_DIGEST = "-";
    private final Path binDir;
    private final TreeMap<String, String> entries;

    private InstalledFiles(Path binDir, TreeMap<String, String> entries) {
        this.binDir = binDir;
        this.entries = entries;
    }

    /** Reads the record of {@code binDir}; empty when there is none. */
    public static InstalledFiles read(Path binDir) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        Path f = binDir.resolve(FILE);
        if (Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && isPlainName(parts[0])) {
                    entries.put(parts[0], parts[1]);
                }
            }
        }
        return new InstalledFiles(binDir, entries);
    }

    /** Whether {@code name} is one plain file name (no directory part), as every entry must be. */
    static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.equals(".") && !name.equals("..");
    }

    /** The recorded digest of {@code name}, if Linen installed it. */
    public Optional<String> digest(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public Map<String, String> entries() {
        return Map.copyOf(entries);
    }

    /** Records {@code name} (in memory; {@link #save} writes). */
    public void put(String name, String digest) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        entries.put(name, digest);
    }

    public void remove(String name) {
        entries.remove(name);
    }

    /** Writes the record atomically (only when it changed); removes it when empty. Idempotent. */
    public void save() throws IOException {
        if (entries.isEmpty()) {
            Files.deleteIfExists(binDir.resolve(FILE));
            return;
        }
        StringBuilder text = new StringBuilder();
        entries.forEach((name, digest) -> text.append(name).append(' ').append(digest).append('\n'));
        CniInstaller.writeIfChanged(binDir, FILE, text.toString());
    }

    /** The SHA-256 of a file, hex. */
    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
