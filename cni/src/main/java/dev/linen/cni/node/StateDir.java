package dev.linen.cni.node;

import dev.linen.cni.CniException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plugin's state directory ({@code stateDir}, {@code /run/linen} by default), where root keeps
 * the setup lock and record. Nobody but the plugin's user may be able to change what is there: the
 * directory is created 0700 (set explicitly, whatever the umask), an existing one is refused unless
 * it is a real directory owned by the plugin's user, writable by no one else, under ancestors that
 * only root or that user can change (sticky ones such as {@code /tmp} included). Files in it are
 * created 0600 and opened without following symbolic links. Stateless and thread-safe.
 */
public final class StateDir {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_ISVTX = 01000;
    private static final int WRITABLE_BY_OTHERS = 0022;

    private StateDir() {
    }

    /**
     * Modes of what the full path creates, and the creating: a class of its own so the steady path
     * never loads it, nor (through a catch clause, for verification) the file exception types.
     */
    private static final class Perms {
        static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
        static final FileAttribute<Set<PosixFilePermission>> DIR_MODE = PosixFilePermissions.asFileAttribute(DIR);
        static final FileAttribute<Set<PosixFilePermission>> ANCESTOR_MODE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
        static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

        static void create(Path dir) throws IOException {
            try {
                Files.createDirectory(dir, DIR_MODE);
                // the umask may have taken bits from 0700; it can never have added any
                Files.setPosixFilePermissions(dir, DIR);
            } catch (FileAlreadyExistsException e) {
                // made by a concurrent ADD at the same moment; checked like any existing one
            }
        }
    }

    /**
     * Creates {@code dir} (0700; missing ancestors 0755) or checks the existing one, then checks
     * that each of {@code files} that exists is a regular file of ours. Idempotent; safe to run
     * from several processes at once (one of them creates the directory, all check it).
     *
     * @throws CniException code 103 when the directory, an ancestor or a file is not safe
     */
    public static void secure(Path dir, List<Path> files) throws CniException {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent, Perms.ANCESTOR_MODE);
                requireSafeAncestors(parent.toRealPath());
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Perms.create(dir);
            }
            int euid = euid();
            require(dir, attributes(dir), S_IFDIR, euid, "is not a directory");
            for (Path f : files) {
                if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                    require(f, attributes(f), S_IFREG, euid, "is not a regular file");
                }
            }
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot set up stateDir " + dir, e.toString());
        }
    }

    /**
     * The steady-state check before trusting a record: {@code dir} and {@code file} are ours and
     * writable by no one else, neither a symbolic link. Read-only; false when anything is off (the
     * full path then says what, through {@link #secure}).
     */
    public static boolean isTrusted(Path dir, Path file) {
        try {
            int euid = euid();
            return isOwn(attributes(dir), S_IFDIR, euid) && isOwn(attributes(file), S_IFREG, euid);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Replaces {@code file} with {@code content}: written to a 0600 temporary file beside it that
     * is created anew (never through a link), then renamed over it. Atomic; not safe against a
     * concurrent writer of the same file (callers hold the setup lock).
     */
    public static void writeAtomically(Path file, byte[] content) throws CniException {
        Path tmp = tmpOf(file);
        try {
            Files.deleteIfExists(tmp);
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            try (FileChannel ch = FileChannel.open(tmp, options, Perms.FILE_MODE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot write " + file, e.toString());
        }
    }

    /** The temporary file {@link #writeAtomically} writes {@code file} through. */
    public static Path tmpOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** Opens (creating it 0600) a file to lock; a symbolic link there is refused (code 103). */
    public static FileChannel openLockFile(Path file) throws CniException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, options, Perms.FILE_MODE);
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw unsafe(file, "is a symbolic link");
            }
            throw new CniException(CniException.IO_FAILURE, "cannot open " + file, e.toString());
        }
    }

    /** Each directory from {@code real} (no links in it) up to / is changeable by root or us only. */
    private static void requireSafeAncestors(Path real) throws IOException, CniException {
        int euid = euid();
        for (Path p = real; p != null; p = p.getParent()) {
            Mode m = attributes(p);
            if (m.uid() != 0 && m.uid() != euid) {
                throw unsafe(p, "is owned by uid " + m.uid() + " (an ancestor of stateDir)");
            }
            if ((m.mode() & WRITABLE_BY_OTHERS) != 0 && (m.mode() & S_ISVTX) == 0) {
                throw unsafe(p, "is writable by group or others and not sticky (mode "
                        + Integer.toOctalString(m.mode() & 07777) + ", an ancestor of stateDir)");
            }
        }
    }

    private static void require(Path p, Mode m, int type, int euid, String notType) throws CniException {
        if ((m.mode() & S_IFMT) != type) {
            throw unsafe(p, notType + ((m.mode() & S_IFMT) == 0120000 ? " (a symbolic link)" : ""));
        }
        if (m.uid() != euid) {
            throw unsafe(p, "is owned by uid " + m.uid() + ", not by the plugin's user (uid " + euid + ")");
        }
        if ((m.mode() & WRITABLE_BY_OTHERS) != 0) {
            throw unsafe(p, "is writable by group or others (mode " + Integer.toOctalString(m.mode() & 07777) + ")");
        }
    }

    private static boolean isOwn(Mode m, int type, int euid) {
        return (m.mode() & S_IFMT) == type && m.uid() == euid && (m.mode() & WRITABLE_BY_OTHERS) == 0;
    }

    private static CniException unsafe(Path p, String why) {
        return new CniException(CniException.STATE_DIR_UNSAFE, "unsafe stateDir: " + p + " " + why,
                "root keeps its setup lock and record there; remove it and linen creates the directory "
                        + "again (mode 0700), or set stateDir to a directory only root can change");
    }

    /** The file's type and permission bits and its owner, of the path itself (not a link's target). */
    private static Mode attributes(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        return new Mode((Integer) a.get("mode"), (Integer) a.get("uid"));
    }

    /** The effective uid of this process: /proc/self belongs to it. */
    private static int euid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    private record Mode(int mode, int uid) {
    }
}
