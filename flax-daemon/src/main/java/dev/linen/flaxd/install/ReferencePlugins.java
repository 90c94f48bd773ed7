package dev.linen.flaxd.install;

import dev.linen.ovs.proc.CommandException;
import dev.linen.ovs.proc.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Installs the reference plugins Linen's conflist chains ({@code bridge}, {@code host-local},
 * {@code portmap}, and {@code loopback}, which runtimes call for every pod) from the image into the
 * host's CNI bin directory. A plugin Linen did not install is kept unless it says it is an older
 * release than the image's (then it is moved aside to {@code .NAME.linen-replaced}, which uninstall
 * puts back); one whose release it does not tell ({@code version unknown}) is kept too: Linen
 * never downgrades what it cannot compare. One Linen installed earlier is replaced when the
 * image's differs, unless it has been replaced since by a newer release.
 */
public final class ReferencePlugins {
    private static final Logger LOG = Logger.getLogger(ReferencePlugins.class.getName());
    public static final List<String> NAMES = List.of("bridge", "host-local", "loopback", "portmap");
    static final String REPLACED_SUFFIX = ".linen-replaced";
    private static final ProcessRunner RUNNER = new ProcessRunner(Duration.ofSeconds(10), 64 << 10);

    /** What to do with one plugin. */
    public sealed interface Decision {
        String why();

        record Install(String why) implements Decision {
        }

        record ReplaceForeign(String why) implements Decision {
        }

        record Keep(String why) implements Decision {
        }
    }

    /**
     * The choice for one plugin, given what is there. Pure.
     *
     * @param existingDigest the installed file's SHA-256, empty when there is none
     * @param recorded       the digest Linen recorded when it installed the file, if it did
     * @param theirs         the release the installed file reports, if it does
     */
    public static Decision decide(String ourDigest, PluginVersion ours, Optional<String> existingDigest,
                                  Optional<String> recorded, Optional<PluginVersion> theirs) {
        if (existingDigest.isEmpty()) {
            return new Decision.Install("absent");
        }
        if (existingDigest.get().equals(ourDigest)) {
            return new Decision.Keep("already the image's " + ours);
        }
        if (theirs.isPresent() && theirs.get().compareTo(ours) > 0) {
            return new Decision.Keep("the node's " + theirs.get() + " is newer than the image's " + ours);
        }
        if (recorded.isPresent() && recorded.get().equals(existingDigest.get())) {
            return new Decision.Install("Linen's earlier copy, replaced by the image's " + ours);
        }
        if (theirs.isPresent() && theirs.get().compareTo(ours) < 0) {
            return new Decision.ReplaceForeign("the node's " + theirs.get() + " is older than the image's " + ours);
        }
        return new Decision.Keep("not Linen's, release " + theirs.map(PluginVersion::toString).orElse("unknown")
                + ": kept");
    }

    private ReferencePlugins() {
    }

    /**
     * Installs each plugin of {@link #NAMES} from {@code source} into {@code binDir} as
     * {@link #decide} says, each by copy to a temporary name and rename (a runtime never sees half
     * a file), and records what it installed in {@code record}. Idempotent: a second run changes
     * nothing. Returns how many plugins it wrote.
     */
    public static int install(Path source, PluginVersion ours, Path binDir, InstalledFiles record) throws IOException {
        int wrote = 0;
        Files.createDirectories(binDir);
        for (String name : NAMES) {
            Path from = source.resolve(name);
            Path to = binDir.resolve(name);
            String ourDigest = InstalledFiles.sha256(from);
            Optional<String> existing = Files.isRegularFile(to) ? Optional.of(InstalledFiles.sha256(to)) : Optional.empty();
            Optional<PluginVersion> theirs = existing.isPresent() ? reportedVersion(to) : Optional.empty();
            Decision d = decide(ourDigest, ours, existing, record.digest(name), theirs);
            if (d instanceof Decision.ReplaceForeign) {
                Files.move(to, binDir.resolve("." + name + REPLACED_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!(d instanceof Decision.Keep)) {
                Path tmp = binDir.resolve("." + name + ".linen-tmp");
                Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                record.put(name, ourDigest);
                wrote++;
            } else if (!existing.get().equals(record.digest(name).orElse(""))) {
                record.remove(name);   // someone else's file now: never ours to remove
            }
            LOG.info("plugin " + name + ": " + d.getClass().getSimpleName() + " (" + d.why() + ")");
        }
        return wrote;
    }

    /**
     * The release a plugin reports when run with no CNI_COMMAND (the reference plugins print
     * {@code CNI NAME plugin RELEASE} and their protocol versions); empty if it does not tell.
     */
    static Optional<PluginVersion> reportedVersion(Path plugin) {
        try {
            // first line only: "CNI bridge plugin v1.4.0" or "... version unknown"; the second
            // lists CNI protocol versions, which are not the release
            String about = RUNNER.run(List.of(plugin.toString())).output().strip();
            int eol = about.indexOf('\n');
            return PluginVersion.find(eol >= 0 ? about.substring(0, eol) : about);
        } catch (CommandException e) {
            LOG.warning("cannot run " + plugin + " to read its version: " + e.getMessage());
            return Optional.empty();
        }
    }
}
