package dev.linen.cni.node;

import dev.linen.cni.CniException;
import dev.linen.cni.json.Json;
import dev.linen.cni.json.JsonException;
import dev.linen.cni.json.JsonValue;
import dev.linen.cni.json.JsonValue.JNumber;
import dev.linen.cni.json.JsonValue.JObject;
import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The plugin's record of the last node setup that succeeded, the lock that serialises setups, and
 * the note a failed setup leaves for the ADDs that were waiting for it.
 *
 * <p>The record holds a fingerprint of the settings and the identity of the OVSDB server's socket
 * file (its inode and time). A new ovsdb-server makes a new socket, so a restarted or wiped
 * database never matches an old record. ovs-vswitchd restarts are caught by the kernel check
 * (its internal port comes back detached). Files live in {@code stateDir} (see {@link StateDir}),
 * one set per (OVSDB endpoint, bridge): {@code KEY.setup}, {@code KEY.lock}, {@code KEY.failed}.
 */
public record SetupRecord(Path stateDir, String key, OvsdbEndpoint ovsdb) {
    private static final long LOCK_POLL_NANOS = 10_000_000L;

    public static SetupRecord of(Path stateDir, OvsdbEndpoint ovsdb, String bridge) {
        return new SetupRecord(stateDir, bridge + "-" + Integer.toHexString(ovsdb.toString().hashCode()), ovsdb);
    }

    public Path file() {
        return stateDir.resolve(key + ".setup");
    }

    public Path lockFile() {
        return stateDir.resolve(key + ".lock");
    }

    public Path failureFile() {
        return stateDir.resolve(key + ".failed");
    }

    /** Identity of the OVSDB server instance; for TCP endpoints only the address is known. */
    public String serverIdentity() throws CniException {
        if (!(ovsdb instanceof OvsdbEndpoint.UnixSocket unix)) {
            return ovsdb.toString();
        }
        Path socket = unix.path(); // not a record pattern: that would load MatchException on every ADD
        try {
            BasicFileAttributes a = Files.readAttributes(socket, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() + "@" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "OVSDB is not running",
                    "no socket at " + socket);
        }
    }

    /** What the record says after a successful setup with this fingerprint on this server. */
    public String content(String fingerprint) throws CniException {
        return fingerprint + "\n" + serverIdentity() + "\n";
    }

    /**
     * True when the last successful setup had exactly this fingerprint on this server, and the
     * record is one only this user could have written. Read-only; the steady-state check.
     */
    public boolean matches(String fingerprint) throws CniException {
        String want = content(fingerprint);
        Optional<String> have = SysNet.readSmallFile(file());
        return have.isPresent() && have.get().equals(want) && StateDir.isTrusted(stateDir, file());
    }

    /** Creates or checks {@code stateDir} and the files of this record (code 103 when unsafe). */
    public void secure() throws CniException {
        StateDir.secure(stateDir, List.of(file(), tmp(file()), lockFile(), failureFile(), tmp(failureFile())));
    }

    /** Records a successful setup and drops any failure note. Atomic; idempotent; under the lock. */
    public void write(String fingerprint) throws CniException {
        StateDir.writeAtomically(file(), content(fingerprint).getBytes(Json.UTF_8));
        delete(failureFile());
    }

    /** Forgets the record, so the next ADD sets up again. Idempotent. */
    public void forget() {
        delete(file());
    }

    /**
     * Takes the node-wide setup lock, waiting at most {@code timeout}. Released by closing the
     * result. Thread-safe across processes (an fcntl lock on {@code KEY.lock}).
     *
     * @throws CniException code 11 when another process held it all that time; 103 when the lock
     *                      file is a symbolic link
     */
    public Lock lock(Duration timeout) throws CniException {
        FileChannel ch = StateDir.openLockFile(lockFile());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    return new Lock(ch, lock);
                }
                if (System.nanoTime() - deadline > 0) {
                    closeQuietly(ch);
                    throw new CniException(CniException.TRY_AGAIN_LATER, "another ADD is setting up the node",
                            "the setup lock " + lockFile() + " stayed held for " + timeout.toSeconds()
                                    + " s; try again later");
                }
                LockSupport.parkNanos(LOCK_POLL_NANOS);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CniException(CniException.IO_FAILURE, "cannot lock " + lockFile(), e.toString());
        }
    }

    /** The failure note as it is now (to compare after waiting for the lock); empty when none. */
    public Optional<String> failureNote() {
        return SysNet.readSmallFile(failureFile());
    }

    /**
     * Leaves a note that a setup with {@code fingerprint} just failed with {@code e}, for the ADDs
     * waiting for the lock. Under the lock; best effort (a note that cannot be written only means
     * the next waiter tries the setup itself).
     */
    public void noteFailure(String fingerprint, CniException e) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("fingerprint", JsonValue.of(fingerprint));
        m.put("code", JsonValue.of(e.code()));
        m.put("msg", JsonValue.of(e.getMessage()));
        m.put("details", JsonValue.of(e.details()));
        m.put("attempt", JsonValue.of(ProcessHandle.current().pid() + "-" + System.nanoTime()));
        try {
            StateDir.writeAtomically(failureFile(), Json.write(new JObject(m)).getBytes(Json.UTF_8));
        } catch (CniException ignored) {
            // see above
        }
    }

    /**
     * The failure of a setup with the same fingerprint that ended while this ADD waited, i.e. a
     * note that differs from {@code before} (read before waiting). Read-only.
     */
    public Optional<CniException> failureSince(Optional<String> before, String fingerprint) {
        Optional<String> now = failureNote();
        if (now.isEmpty() || now.equals(before)) {
            return Optional.empty();
        }
        try {
            if (Json.parse(now.get()) instanceof JObject note
                    && note.string("fingerprint").orElse("").equals(fingerprint)
                    && note.get("code").orElse(JsonValue.JNull.NULL) instanceof JNumber code) {
                return Optional.of(new CniException(Integer.parseInt(code.text()), note.string("msg").orElse(""),
                        "the setup this ADD waited for failed: " + note.string("details").orElse("")));
            }
        } catch (JsonException | NumberFormatException e) {
            // not a note of ours: try the setup
        }
        return Optional.empty();
    }

    /** A held lock; closing releases it. */
    public record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(channel); // closing the channel releases the lock
        }
    }

    private static Path tmp(Path file) {
        return StateDir.tmpOf(file);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing held yet; nothing to undo
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale record only costs one slow ADD, which rewrites it
        }
    }
}
