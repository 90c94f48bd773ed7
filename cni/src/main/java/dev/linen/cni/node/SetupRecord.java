package dev.linen.cni.node;

import dev.linen.cni.CniException;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The plugin's record of the last node setup that succeeded, and the lock that serialises setups.
 *
 * <p>The record holds a fingerprint of the settings and the identity of the OVSDB server's socket
 * file (its inode and time). A new ovsdb-server makes a new socket, so a restarted or wiped
 * database never matches an old record. ovs-vswitchd restarts are caught by the kernel check
 * (its internal port comes back detached). Files live in {@code stateDir}, one pair per
 * (OVSDB endpoint, bridge).
 */
public record SetupRecord(Path file, Path lockFile, OvsdbEndpoint ovsdb) {

    public static SetupRecord of(Path stateDir, OvsdbEndpoint ovsdb, String bridge) {
        String key = bridge + "-" + Integer.toHexString(ovsdb.toString().hashCode());
        return new SetupRecord(stateDir.resolve(key + ".setup"), stateDir.resolve(key + ".lock"), ovsdb);
    }

    /** Identity of the OVSDB server instance; for TCP endpoints only the address is known. */
    public String serverIdentity() throws CniException {
        if (!(ovsdb instanceof OvsdbEndpoint.UnixSocket(Path socket))) {
            return ovsdb.toString();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVSDB is not running",
                    "no socket at " + socket);
        }
    }

    /** True when the last successful setup had exactly this fingerprint on this server. */
    public boolean matches(String fingerprint) throws CniException {
        String want = fingerprint + "\n" + serverIdentity() + "\n";
        Optional<String> have = SysNet.readSmallFile(file);
        return have.isPresent() && have.get().equals(want);
    }

    /** Records a successful setup. Atomic (temp file + rename); idempotent. */
    public void write(String fingerprint) throws CniException {
        try {
            Files.createDirectories(file.getParent());
            // callers hold the setup lock, so one fixed temporary name is enough
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(tmp.toString())) {
                out.write((fingerprint + "\n" + serverIdentity() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot write " + file, e.getMessage());
        }
    }

    /** Forgets the record, so the next ADD sets up again. Idempotent. */
    public void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale record only costs one slow ADD, which rewrites it
        }
    }

    /** Takes the node-wide setup lock (blocks until free). Released by closing the result. */
    public Lock lock() throws CniException {
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Lock(ch, ch.lock());
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot lock " + lockFile, e.getMessage());
        }
    }

    /** A held lock; closing releases it. */
    public record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock; nothing else to do
            }
        }
    }

    public Optional<String> read() {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
