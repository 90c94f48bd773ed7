package dev.linen.ovs.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes. The sleeps of each test have their own odd duration, so a leftover is found by
 * its arguments; {@code sh}/{@code setsid} appear only here, as fixtures that hold the output open.
 */
class ProcessRunnerTest {
    private static final ProcessRunner ONE_SECOND = new ProcessRunner(Duration.ofSeconds(1), 1 << 20);

    @TempDir
    Path dir;

    @Test
    void returnsOutputAndExitCode() throws Exception {
        ProcessRunner.Result r = ONE_SECOND.run(List.of("printf", "a%sb\\n", "x"));
        assertEquals(0, r.exit());
        assertEquals("axb\n", r.output());
        assertTrue(r.ok());
        ProcessRunner.Result missing = ONE_SECOND.run(List.of("ls", "/linen-test-no-such-file"));
        assertEquals(2, missing.exit());
        assertTrue(missing.output().contains("/linen-test-no-such-file"), "stderr is captured: " + missing.output());
        assertEquals(1, ONE_SECOND.run(List.of("false")).exit());
    }

    @Test
    void outputLargerThanAPipeIsReturnedWhole() throws Exception {
        String out = ONE_SECOND.run(List.of("seq", "1", "100000")).output();
        assertEquals(588895, out.length());
        assertTrue(out.startsWith("1\n2\n3\n"));
        assertTrue(out.endsWith("\n99999\n100000\n"));
    }

    @Test
    void outputPastTheCapIsDroppedAndSaidSo() throws Exception {
        String out = new ProcessRunner(Duration.ofSeconds(5), 10).run(List.of("seq", "1", "100000")).output();
        assertEquals("1\n2\n3\n4\n5\n\n[output truncated: 588885 of 588895 bytes dropped]\n", out);
    }

    @Test
    void stdinIsDelivered() throws Exception {
        assertEquals("hello\nworld\n", ONE_SECOND.run(List.of("cat"), "hello\nworld\n").output());
        String big = "x".repeat(300_000);
        assertEquals("300000\n", ONE_SECOND.run(List.of("wc", "-c"), big).output());
        // more input than a pipe holds, never read: the child is not blocked and neither are we
        assertEquals(0, ONE_SECOND.run(List.of("true"), big).exit());
    }

    @Test
    void aMissingProgramIsAClearError() {
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> ONE_SECOND.run(List.of("linen-test-no-such-program", "-x")));
        assertTrue(e.getMessage().startsWith("cannot run linen-test-no-such-program -x: "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertEquals(List.of("linen-test-no-such-program", "-x"), e.command());
    }

    @Test
    void aChildThatOverrunsIsKilledAndNamed() throws Exception {
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> ONE_SECOND.run(List.of("sleep", "30.011")));
        assertTrue(elapsed(start) < 3_000, "returned after " + elapsed(start) + " ms");
        assertEquals("sleep 30.011 timed out after 1000 ms (killed)", e.getMessage());
        assertNoProcessWithArgument("30.011");
    }

    @Test
    void aGrandchildHoldingStdoutIsKilledWithTheChild() throws Exception {
        Path pids = dir.resolve("pids");
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class, () -> ONE_SECOND.run(List.of(
                "sh", "-c", "sleep 30.012 & echo $$ $! > " + pids + "; echo started; wait")));
        assertTrue(elapsed(start) < 3_000, "returned after " + elapsed(start) + " ms");
        assertEquals("started\n", e.partialOutput());
        String[] shAndSleep = Files.readString(pids).trim().split(" ");
        assertGone(Long.parseLong(shAndSleep[0]));
        assertGone(Long.parseLong(shAndSleep[1]));
    }

    @Test
    void aDetachedGrandchildKeepingStdoutOpenDoesNotHoldTheCaller() throws Exception {
        Path pid = dir.resolve("pid");
        long start = System.nanoTime();
        try {
            ProcessRunner.Result r = new ProcessRunner(Duration.ofSeconds(20), 1024).run(List.of(
                    "sh", "-c", "setsid sleep 30.013 & echo $! > " + pid + "; echo done"));
            assertTrue(elapsed(start) < 3_000, "returned after " + elapsed(start) + " ms");
            assertEquals(new ProcessRunner.Result(0, "done\n"), r);
            // the fixture really left a holder of the output behind
            assertTrue(ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).isPresent());
        } finally {
            liveWithArgument("30.013").ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anInterruptedCallKillsTheChild() throws Exception {
        Thread.currentThread().interrupt();
        try {
            CommandFailedException e = assertThrows(CommandFailedException.class,
                    () -> ONE_SECOND.run(List.of("sleep", "30.014")));
            assertEquals("cannot run sleep 30.014: interrupted (killed)", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertNoProcessWithArgument("30.014");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ONE_SECOND.run(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ONE_SECOND.run(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> new ProcessRunner(Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new ProcessRunner(Duration.ofSeconds(1), 0));
    }

    @Test
    void scratchFilesAreRemoved() throws Exception {
        ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(1), 1024, dir);
        runner.run(List.of("cat"), "in");
        assertThrows(CommandTimeoutException.class, () -> runner.run(List.of("sleep", "30.015"), "x"));
        assertThrows(CommandFailedException.class, () -> runner.run(List.of("linen-test-no-such-program")));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    private static long elapsed(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** A process whose only argument is {@code arg} (a zombie has no arguments any more). */
    private static Optional<ProcessHandle> liveWithArgument(String arg) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().arguments().map(a -> List.of(a).equals(List.of(arg))).orElse(false))
                .findFirst();
    }

    /** SIGKILL is delivered asynchronously: waits (at most 2 s) until no such process is left. */
    private static void assertNoProcessWithArgument(String arg) throws Exception {
        Optional<ProcessHandle> left = liveWithArgument(arg);
        if (left.isPresent()) {
            assertGone(left.get().pid());
        }
    }

    /**
     * SIGKILL is delivered asynchronously: waits (at most 2 s) for the process's exit. A zombie has
     * ended too: here PID 1 may never reap an orphan, so its entry can stay and its exit never be
     * reported; the check after the wait reads its state.
     */
    private static void assertGone(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            try {
                h.get().onExit().get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // a zombie, or still running: decided below
            }
        }
        assertFalse(running(pid), "pid " + pid + " is still running");
    }

    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }
}
