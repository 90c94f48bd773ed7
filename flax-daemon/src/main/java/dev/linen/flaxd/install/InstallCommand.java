package dev.linen.flaxd.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code flaxd install} (the DaemonSet's init container): installs the binaries only, the linen
 * plugin and the reference plugins its conflist chains, into the host's CNI bin directory, and
 * records what it installed there ({@link InstalledFiles}) for uninstall. It needs no API and no
 * OVS: the conflist is flaxd's to write, once the node can carry traffic ({@link ConflistWriter}).
 * Idempotent; writes only what changed; each file is swapped in by rename.
 *
 * @param binDir        the host's CNI bin directory ({@code FLAXD_CNI_BIN_DIR}, default /opt/cni/bin)
 * @param pluginDir     where the image keeps linen and linen-runtime ({@code FLAXD_PLUGIN_DIR}, /opt/linen)
 * @param referenceDir  the image's reference plugins ({@code FLAXD_REFERENCE_PLUGIN_DIR}, /usr/lib/cni)
 * @param versionFile   their release as the image's package names it
 *                      ({@code FLAXD_REFERENCE_PLUGIN_VERSION_FILE}, /etc/linen-cni-plugins.version);
 *                      when missing the release is unknown, and only absent or Linen's own plugins
 *                      are written
 */
public record InstallCommand(Path binDir, Path pluginDir, Path referenceDir, Path versionFile) {
    private static final Logger LOG = Logger.getLogger(InstallCommand.class.getName());

    public static InstallCommand fromEnv(Map<String, String> env) {
        return new InstallCommand(Path.of(env.getOrDefault("FLAXD_CNI_BIN_DIR", "/opt/cni/bin")),
                Path.of(env.getOrDefault("FLAXD_PLUGIN_DIR", "/opt/linen")),
                Path.of(env.getOrDefault("FLAXD_REFERENCE_PLUGIN_DIR", "/usr/lib/cni")),
                Path.of(env.getOrDefault("FLAXD_REFERENCE_PLUGIN_VERSION_FILE", "/etc/linen-cni-plugins.version")));
    }

    /** Installs and records; see the class comment. Not for two installers at once on one node. */
    public void run() throws IOException {
        InstalledFiles record = InstalledFiles.read(binDir);
        boolean linen = PluginInstaller.install(pluginDir, binDir, record);
        int reference = ReferencePlugins.install(referenceDir, imageRelease(), binDir, record);
        record.save();
        LOG.info("install: linen " + (linen ? "installed" : "unchanged") + ", " + reference
                + " reference plugin(s) written into " + binDir);
    }

    private PluginVersion imageRelease() throws IOException {
        Optional<String> text = Files.isRegularFile(versionFile) ? Optional.of(Files.readString(versionFile))
                : Optional.empty();
        if (text.isEmpty()) {
            LOG.warning("no " + versionFile + ": the reference plugins' release is unknown; only absent"
                    + " plugins and Linen's own are written");
            return new PluginVersion(0, 0, 0);
        }
        return PluginVersion.ofPackage(text.get());
    }
}
