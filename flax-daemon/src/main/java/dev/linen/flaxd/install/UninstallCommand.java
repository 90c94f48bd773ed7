package dev.linen.flaxd.install;

import dev.linen.flaxd.FlaxdConfig;
import dev.linen.flaxd.node.Commands;
import dev.linen.flaxd.node.IptablesBackend;
import dev.linen.flaxd.node.NodeNetwork;
import dev.linen.ovs.db.BridgeInfo;
import dev.linen.ovs.db.OvsDatabase;
import dev.linen.ovs.db.OvsDatabases;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code flaxd uninstall}: removes what Linen put on the node, with flaxd stopped (the DaemonSet
 * deleted): the conflist, the CNI binaries Linen installed (only those its record names, and only
 * while unchanged; a plugin it had moved aside is put back), flaxd's iptables chains and route,
 * the OVS bridge flaxd owns ({@code external_ids:linen-owner=flaxd}), the Linux bridge once no
 * pod is attached, and the plugins' state for Linen's network. Idempotent. Every step is tried;
 * the steps that failed are named together at the end.
 *
 * @param stateDir host-local's and linen's state directory ({@code FLAXD_CNI_STATE_DIR}; their defaults if unset)
 * @param apiSocket flaxd's local API socket ({@code FLAXD_API}), when it has one: the socket goes, and its
 *                  directory when that is then empty (anything else in it stays)
 */
public record UninstallCommand(Path binDir, ConflistWriter conflist, NodeNetwork node, OvsdbEndpoint ovsdb,
                               String ovsBridge, String linuxBridge, Commands commands, Optional<String> stateDir,
                               Optional<Path> apiSocket) {
    private static final Logger LOG = Logger.getLogger(UninstallCommand.class.getName());
    static final String OWNER_KEY = "linen-owner";
    static final String OWNER = "flaxd";

    public static UninstallCommand fromEnv(Map<String, String> env, FlaxdConfig config, String linuxBridge,
                                           Commands commands) {
        NodeNetwork node = new NodeNetwork(commands, IptablesBackend.detect(commands, config.iptables()),
                config.clusterCidr(), linuxBridge);
        return new UninstallCommand(InstallCommand.fromEnv(env).binDir(), ConflistWriter.fromEnv(env, config), node,
                config.ovsdb(), config.tunnels().bridge(), linuxBridge, commands,
                Optional.ofNullable(env.get("FLAXD_CNI_STATE_DIR")), config.api());
    }

    /** Removes it all; see the class comment. @throws IllegalStateException naming the steps that failed */
    public void run() {
        List<String> failed = new ArrayList<>();
        step(failed, "conflist", () -> conflist.remove());
        step(failed, "CNI binaries", this::removeBinaries);
        step(failed, "iptables chains and route", node::uninstall);
        step(failed, "OVS bridge " + ovsBridge, this::removeOvsBridge);
        step(failed, "Linux bridge " + linuxBridge, this::removeLinuxBridge);
        step(failed, "CNI state", this::removeState);
        step(failed, "flaxd's API socket", this::removeApiSocket);
        if (!failed.isEmpty()) {
            throw new IllegalStateException("uninstall left something behind: " + String.join("; ", failed));
        }
        LOG.info("uninstall: done");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String> failed, String what, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            LOG.warning("uninstall: " + what + ": " + e.getMessage());
            failed.add(what + ": " + e.getMessage());
        }
    }

    /** The entries of Linen's record; a plugin file only while it is still what Linen wrote. */
    private void removeBinaries() throws IOException {
        InstalledFiles record = InstalledFiles.read(binDir);
        for (Map.Entry<String, String> e : record.entries().entrySet()) {
            Path p = binDir.resolve(e.getKey());
            if (e.getValue().equals(InstalledFiles.NO_DIGEST)) {
                deleteTree(p);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && InstalledFiles.sha256(p).equals(e.getValue())) {
                Files.delete(p);
                Path aside = binDir.resolve("." + e.getKey() + ReferencePlugins.REPLACED_SUFFIX);
                if (Files.isRegularFile(aside)) {
                    Files.move(aside, p, StandardCopyOption.ATOMIC_MOVE);
                }
            } else {
                LOG.info("uninstall: " + p + " changed since Linen installed it: kept");
            }
            record.remove(e.getKey());
        }
        record.save();
    }

    private void removeOvsBridge() {
        try (OvsDatabase db = OvsDatabases.connect(ovsdb, Duration.ofSeconds(10))) {
            Optional<BridgeInfo> br = db.bridge(ovsBridge);
            if (br.isPresent() && OWNER.equals(br.get().externalIds().get(OWNER_KEY))) {
                db.deleteBridge(ovsBridge);
            } else if (br.isPresent()) {
                LOG.info("uninstall: OVS bridge " + ovsBridge + " is not flaxd's (no " + OWNER_KEY + "=" + OWNER + "): kept");
            }
        }
    }

    /** The Linux bridge goes once nothing is attached to it (pods still there keep it). */
    private void removeLinuxBridge() {
        if (!commands.run("ip", "link", "show", "dev", linuxBridge).ok()) {
            return;
        }
        String attached = commands.must("ip", "-o", "link", "show", "master", linuxBridge).strip();
        if (!attached.isEmpty()) {
            throw new IllegalStateException(linuxBridge + " still has ports (pods left on the node?): "
                    + attached.lines().count());
        }
        commands.must("ip", "link", "del", "dev", linuxBridge);
    }

    /** The socket file (never a directory or what a symlink points to), then its directory if empty. */
    private void removeApiSocket() throws IOException {
        if (apiSocket.isEmpty()) {
            return;
        }
        Path socket = apiSocket.get();
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(socket);
        }
        try {
            Files.deleteIfExists(socket.getParent());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            LOG.info("uninstall: " + socket.getParent() + " holds more than flaxd's socket: left in place");
        }
    }

    /**
     * linen's setup record, and host-local's address records of Linen's network once no pod is
     * left: while the Linux bridge still exists (it stays while pods are attached), those records
     * are the only list of the addresses in use, and a reinstall without them would hand them out
     * again. Idempotent.
     */
    private void removeState() throws IOException {
        deleteTree(Path.of(stateDir.map(s -> s + "/linen").orElse("/run/linen")));
        if (commands.run("ip", "link", "show", "dev", linuxBridge).ok()) {
            throw new IllegalStateException("host-local's addresses kept: " + linuxBridge + " is still there");
        }
        deleteTree(Path.of(stateDir.map(s -> s + "/ipam").orElse("/var/lib/cni/networks"), "linen"));
    }

    /** Deletes a file, a symlink (not what it points to) or a directory tree. Idempotent. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
