package dev.linen.cni.node;

import dev.linen.cni.CniException;
import dev.linen.ovs.db.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Changes links with iproute2's {@code ip}, run directly (argv, never a shell) with names that
 * were validated as interface names. Each call is idempotent.
 */
public final class IpLink {
    private static final long TIMEOUT_SECONDS = 10;

    private IpLink() {
    }

    /** Enslaves {@code port} to {@code bridge} and sets it up; optionally sets its MTU first. */
    public static void attach(String port, String bridge, java.util.OptionalInt mtu) throws CniException {
        Names.requireInterfaceName(port);
        Names.requireInterfaceName(bridge);
        List<String> argv = new ArrayList<>(List.of("ip", "link", "set", "dev", port));
        mtu.ifPresent(m -> argv.addAll(List.of("mtu", Integer.toString(m))));
        argv.addAll(List.of("master", bridge, "up"));
        run(argv);
    }

    private static void run(List<String> argv) throws CniException {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CniException(CniException.ATTACH_FAILED, "ip timed out", String.join(" ", argv));
            }
            if (p.exitValue() != 0) {
                throw new CniException(CniException.ATTACH_FAILED, "ip failed: " + String.join(" ", argv),
                        new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new CniException(CniException.ATTACH_FAILED, "cannot run ip", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniException.ATTACH_FAILED, "interrupted running ip");
        }
    }
}
