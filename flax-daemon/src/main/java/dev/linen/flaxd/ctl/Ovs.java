package dev.linen.flaxd.ctl;

import dev.linen.ovs.proc.CommandException;
import dev.linen.ovs.proc.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node's OVS as linenctl reads it, through OVS's own tools on its run directory (the bridge's
 * management socket, ovs-vswitchd's control socket, the OVSDB socket): read-only. Thread-safe.
 */
final class Ovs {
    private static final ProcessRunner RUNNER = new ProcessRunner(Duration.ofSeconds(20), 64 << 20);
    private final Path rundir;

    Ovs(Path rundir) {
        this.rundir = rundir;
    }

    /** The bridge's flows as {@code ovs-ofctl --no-stats dump-flows} prints them, one per line, trimmed. */
    List<String> dumpFlows(String bridge) throws CtlException {
        String out = ok(List.of("ovs-ofctl", "-O", "OpenFlow13", "--no-stats", "dump-flows",
                "unix:" + rundir.resolve(bridge + ".mgmt")));
        return Arrays.stream(out.split("\n")).map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("OFPST_") && !l.startsWith("NXST_")).toList();
    }

    /** {@code ofproto/trace} of {@code flow} on the bridge: OVS's own walk of the tables. */
    String trace(String bridge, String flow) throws CtlException {
        return ok(List.of("ovs-appctl", "-t", vswitchdControl().toString(), "ofproto/trace", bridge, flow));
    }

    /** The whole OVSDB, for a support bundle. */
    String dumpDatabase() throws CtlException {
        return ok(List.of("ovsdb-client", "dump", "unix:" + rundir.resolve("db.sock")));
    }

    String vswitchdVersion() throws CtlException {
        return ok(List.of("ovs-appctl", "-t", vswitchdControl().toString(), "version"));
    }

    /** ovs-vswitchd's control socket: {@code ovs-vswitchd.ctl} (private OVS), else the one its pid file names. */
    private Path vswitchdControl() throws CtlException {
        Path plain = rundir.resolve("ovs-vswitchd.ctl");
        if (Files.exists(plain)) {
            return plain;
        }
        try {
            String pid = Files.readString(rundir.resolve("ovs-vswitchd.pid")).strip();
            return rundir.resolve("ovs-vswitchd." + Long.parseLong(pid) + ".ctl");
        } catch (java.io.IOException | NumberFormatException e) {
            throw new CtlException("ovs-vswitchd is not running under " + rundir + " (no control socket or pid file;"
                    + " see --ovs-rundir)", e);
        }
    }

    /** Runs a read-only command; its output, or a {@link CtlException} with its message. */
    static String ok(List<String> argv) throws CtlException {
        try {
            ProcessRunner.Result r = RUNNER.run(new ArrayList<>(argv));
            if (!r.ok()) {
                throw new CtlException(argv.get(0) + " " + argv.get(argv.size() > 1 ? 1 : 0) + "... failed (exit "
                        + r.exit() + "): " + r.output().strip());
            }
            return r.output();
        } catch (CommandException e) {
            throw new CtlException(argv.get(0) + ": " + e.getMessage(), e);
        }
    }
}
