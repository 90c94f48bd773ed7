package dev.linen.cni.node;

import dev.linen.cni.CniException;
import dev.linen.ovs.db.Names;
import dev.linen.ovs.proc.CommandException;
import dev.linen.ovs.proc.CommandFailedException;
import dev.linen.ovs.proc.CommandTimeoutException;
import dev.linen.ovs.proc.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Changes links with iproute2's {@code ip}, run directly (argv, never a shell) through the shared
 * {@link ProcessRunner} with names that were validated as interface names. Each call is
 * idempotent. Only the plugin's full (set-up) path comes here, never the steady-state ADD.
 */
public final class IpLink {
    private static final ProcessRunner RUNNER = new ProcessRunner(Duration.ofSeconds(10), 64 * 1024);

    private IpLink() {
    }

    /** Enslaves {@code port} to {@code bridge} and sets it up; optionally sets its MTU first. */
    public static void attach(String port, String bridge, OptionalInt mtu) throws CniException {
        Names.requireInterfaceName(port);
        Names.requireInterfaceName(bridge);
        List<String> argv = new ArrayList<>(List.of("ip", "link", "set", "dev", port));
        if (mtu.isPresent()) {
            argv.add("mtu");
            argv.add(Integer.toString(mtu.getAsInt()));
        }
        argv.addAll(List.of("master", bridge, "up"));
        run(argv);
    }

    /** Takes {@code port} out of whatever bridge it is in. Idempotent. */
    public static void detach(String port) throws CniException {
        Names.requireInterfaceName(port);
        run(List.of("ip", "link", "set", "dev", port, "nomaster"));
    }

    private static void run(List<String> argv) throws CniException {
        ProcessRunner.Result r;
        try {
            r = RUNNER.run(argv);
        } catch (CommandTimeoutException e) {
            throw new CniException(CniException.ATTACH_FAILED, "ip timed out", String.join(" ", argv));
        } catch (CommandFailedException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw new CniException(CniException.ATTACH_FAILED, "interrupted running ip");
            }
            throw new CniException(CniException.ATTACH_FAILED, "cannot run ip", e.getMessage());
        } catch (CommandException e) {
            throw new CniException(CniException.ATTACH_FAILED, "cannot run ip", e.getMessage());
        }
        if (!r.ok()) {
            throw new CniException(CniException.ATTACH_FAILED, "ip failed: " + String.join(" ", argv),
                    r.output().trim());
        }
    }
}
