package dev.linen.ovs.proc;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one program (argv, never a shell) within a deadline and returns its exit code and its
 * stdout and stderr, captured together up to a size cap. The one process runner of Linen: flaxd's
 * node commands and the CNI plugin's {@code ip} calls both go through it.
 *
 * <p><b>Why the deadline always holds.</b> No pipe joins the JVM to the child. Its stdout and
 * stderr go to one scratch file and its stdin comes from another (or from {@code /dev/null});
 * both are created exclusively ({@code O_EXCL}, mode 0600) in the scratch directory and unlinked
 * as soon as the child has started, while the runner keeps its own descriptor of the output file.
 * The calling thread then only waits for the child's exit ({@link Process#waitFor(long, TimeUnit)}
 * with the time left) and reads the file afterwards. So nothing the child or a grandchild does with
 * its descriptors can hold the caller: keeping stdout open, writing more than a pipe buffers, or
 * never reading stdin. The runner starts no thread of its own (the JDK's shared process reaper
 * reports the exit) and uses no lambdas or streams on its normal path, so it adds little to a
 * short-lived process such as the CNI plugin.
 *
 * <p><b>When a command is done.</b> When the child exits. A descendant it left running (a daemon,
 * re-parented away from the child) may keep writing to the unlinked file, but the runner neither
 * waits for it nor can find it any more: it returns the child's result at once.
 *
 * <p><b>At the deadline</b> the child and every descendant it has at that moment
 * ({@link ProcessHandle#descendants()}, the one stream used, only on this path) are killed with
 * SIGKILL, the child is reaped (waiting at most {@link #KILL_GRACE}) and a
 * {@link CommandTimeoutException} naming the command is thrown: a call returns within its timeout
 * plus about a second, whatever the child does.
 *
 * <p><b>Output</b> past the cap is not read; the output then ends with a line saying how many bytes
 * were dropped (the unlinked file's space is freed when the last descriptor closes). Output is
 * decoded as UTF-8.
 *
 * <p>Thread-safe: an instance holds only its settings; each call has its own files.
 */
public final class ProcessRunner {
    /** How long a killed child may take to be reaped before the timeout error is thrown anyway. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(1);
    /** How much of a timed-out command's output its exception carries. */
    private static final int PARTIAL_CAP = 4096;
    private static final File DEV_NULL = new File("/dev/null");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Scratch names: this process id and a counter (seeded with the clock, as a pid is reused). */
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() & 0xffffffffL);

    private final Duration timeout;
    private final int outputCap;
    private final Path scratchDir;

    /**
     * @param timeout    how long a command may run (more than zero)
     * @param outputCap  the most bytes of output kept (more than zero)
     * @param scratchDir where the scratch files are made (a local directory only root writes to, or
     *                   a sticky one such as {@code /tmp})
     */
    public ProcessRunner(Duration timeout, int outputCap, Path scratchDir) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputCap <= 0) {
            throw new IllegalArgumentException("output cap must be positive: " + outputCap);
        }
        this.timeout = timeout;
        this.outputCap = outputCap;
        this.scratchDir = scratchDir;
    }

    /** Scratch files in {@code java.io.tmpdir}. */
    public ProcessRunner(Duration timeout, int outputCap) {
        this(timeout, outputCap, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Duration timeout() {
        return timeout;
    }

    /** What a command did: its exit code and its stdout and stderr, interleaved as written. */
    public record Result(int exit, String output) {
        public Result {
            if (output == null) {
                throw new IllegalArgumentException("output is required");
            }
        }

        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code argv} with stdin from {@code /dev/null}. See {@link #run(List, String)}. */
    public Result run(List<String> argv) throws CommandException {
        return execute(checked(argv), null);
    }

    /**
     * Runs {@code argv} with {@code stdin} as its standard input and waits for it to exit, at most
     * the timeout. Changes nothing itself but the (removed) scratch files; what the command changes
     * is the command's business. A non-zero exit is a result, not an exception.
     *
     * @throws CommandTimeoutException the command overran; it and its descendants were killed
     * @throws CommandFailedException  it could not be started (no such program...) or the thread was interrupted
     */
    public Result run(List<String> argv, String stdin) throws CommandException {
        if (stdin == null) {
            throw new IllegalArgumentException("stdin is required (run(argv) reads /dev/null)");
        }
        return execute(checked(argv), stdin);
    }

    private static List<String> checked(List<String> argv) {
        List<String> command = List.copyOf(argv);
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("a command needs a program: " + argv);
        }
        return command;
    }

    private Result execute(List<String> command, String stdin) throws CommandException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> scratch = new ArrayList<>(2);
        try {
            Path out = scratchFile(command, "out", scratch);
            Path in = stdin == null ? null : scratchFile(command, "in", scratch);
            if (in != null) {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
            }
            try (FileChannel output = FileChannel.open(out, StandardOpenOption.READ)) {
                Process p = start(command, out, in);
                deleteAll(scratch);
                if (!awaitExit(command, p, deadline)) {
                    killTree(p);
                    throw new CommandTimeoutException(command, timeout, read(output, PARTIAL_CAP));
                }
                return new Result(p.exitValue(), read(output, outputCap));
            }
        } catch (IOException e) {
            throw new CommandFailedException(command, "scratch file: " + e.getMessage(), e);
        } finally {
            deleteAll(scratch);
        }
    }

    private static Process start(List<String> command, Path out, Path in) throws CommandFailedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(in == null ? DEV_NULL : in.toFile()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CommandFailedException(command, e.getMessage(), e);
        }
    }

    /** True once the child has exited; false at the deadline. Kills it when interrupted. */
    private static boolean awaitExit(List<String> command, Process p, long deadline) throws CommandFailedException {
        try {
            long left = deadline - System.nanoTime();
            return p.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            Thread.currentThread().interrupt();
            throw new CommandFailedException(command, "interrupted (killed)", e);
        }
    }

    /**
     * SIGKILLs the child and the descendants it has now. They are listed first: once the child is
     * dead its children are re-parented and no longer found from it.
     */
    private static void killTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>();
        Iterator<ProcessHandle> it = p.descendants().iterator();
        while (it.hasNext()) {
            tree.add(it.next());
        }
        p.destroyForcibly();
        for (int i = 0; i < tree.size(); i++) {
            tree.get(i).destroyForcibly();
        }
        try {
            p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first {@code cap} bytes of the file, and a closing line when there were more. */
    private static String read(FileChannel file, int cap) throws IOException {
        long size = file.size();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, cap));
        long position = 0;
        while (buf.hasRemaining()) {
            int n = file.read(buf, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        if (size > cap) {
            return text + "\n[output truncated: " + (size - cap) + " of " + size + " bytes dropped]\n";
        }
        return text;
    }

    /** A new empty file only this user can read, added to {@code made}. */
    private Path scratchFile(List<String> command, String kind, List<Path> made) throws CommandFailedException {
        String base = "linen-run-" + ProcessHandle.current().pid() + "-";
        for (int attempt = 0; attempt < 10; attempt++) {
            Path p = scratchDir.resolve(base + SEQUENCE.incrementAndGet() + "." + kind);
            try {
                Files.newByteChannel(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)
                        .close();
                made.add(p);
                return p;
            } catch (FileAlreadyExistsException e) {
                // a leftover of an earlier process with this pid: take the next number
            } catch (IOException e) {
                throw new CommandFailedException(command, "cannot make a scratch file in " + scratchDir + ": "
                        + e.getMessage(), e);
            }
        }
        throw new CommandFailedException(command, "no free scratch file name in " + scratchDir, null);
    }

    private static void deleteAll(List<Path> files) {
        for (int i = 0; i < files.size(); i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                // best effort: a file that cannot be removed now holds no secret and is tiny
            }
        }
        files.clear();
    }
}
