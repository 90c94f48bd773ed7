package dev.linen.flaxd.install;

import java.util.Optional;

/**
 * A reference CNI plugin release, {@code major.minor.patch}. Read from the text a plugin prints when
 * run with no {@code CNI_COMMAND} ({@code CNI bridge plugin v1.4.0}, {@code … version v1.4.0};
 * distribution builds may say {@code version unknown}) or from a package version
 * ({@code 1.1.1+ds1-3+b5}).
 */
public record PluginVersion(int major, int minor, int patch) implements Comparable<PluginVersion> {
    public PluginVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version part: " + major + "." + minor + "." + patch);
        }
    }

    /** The first {@code [v]X.Y.Z} of {@code text} that starts a word; empty when there is none. */
    public static Optional<PluginVersion> find(String text) {
        for (int i = 0; i < text.length(); i++) {
            boolean wordStart = i == 0 || Character.isWhitespace(text.charAt(i - 1));
            if (!wordStart) {
                continue;
            }
            int at = text.charAt(i) == 'v' ? i + 1 : i;
            Optional<PluginVersion> v = at(text, at);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** A package version's upstream part ({@code 1.1.1+ds1-3+b5} is 1.1.1). */
    public static PluginVersion ofPackage(String text) {
        return at(text.trim(), 0).orElseThrow(() -> new IllegalArgumentException("not a version: " + text.trim()));
    }

    private static Optional<PluginVersion> at(String text, int start) {
        int[] parts = new int[3];
        int i = start;
        for (int p = 0; p < 3; p++) {
            int digitsFrom = i;
            long value = 0;
            while (i < text.length() && Character.isDigit(text.charAt(i)) && i - digitsFrom < 6) {
                value = value * 10 + (text.charAt(i++) - '0');
            }
            if (i == digitsFrom || (p < 2 && (i >= text.length() || text.charAt(i++) != '.'))) {
                return Optional.empty();
            }
            parts[p] = (int) value;
        }
        return Optional.of(new PluginVersion(parts[0], parts[1], parts[2]));
    }

    @Override
    public int compareTo(PluginVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
