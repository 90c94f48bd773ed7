package dev.linen.flaxd.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * br_netfilter's sysctls in a test-made network namespace (they are per namespace; the host's are
 * never touched). Its absence and a read-only /proc/sys are made real for one command at a time
 * with a private mount namespace over that namespace ({@code unshare --mount}), so the host's
 * mounts never change.
 */
class BridgeNetfilterTest {
    private static final String IPT = "/proc/sys/net/bridge/bridge-nf-call-iptables";
    private static final String IP6T = "/proc/sys/net/bridge/bridge-nf-call-ip6tables";
    private TestNetns ns;
    private String netns;
    private Commands cmd;

    @TempDir
    Path dir;

    @BeforeEach
    void netns() {
        ns = TestNetns.create("lnt-brnf");
        netns = ns.name();
        cmd = ns.cmd();
        if (!Files.isDirectory(Path.of("/proc/sys/net/bridge"))) {
            // this kernel has no br_netfilter loaded: what flaxd does then is the masked cases below
            Commands.host().run("modprobe", "br_netfilter");
        }
    }

    @AfterEach
    void removeNetns() {
        if (ns != null) {
            ns.close();
        }
    }

    /** Commands that run in the namespace after {@code script} (a shell snippet of the test's own) ran in a private mount namespace. */
    private Commands after(String script) throws Exception {
        Path wrapper = dir.resolve("wrap-" + UUID.randomUUID().toString().substring(0, 6));
        Files.writeString(wrapper, "#!/bin/sh\nset -e\n" + script + "\nexec \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return new Commands(List.of("ip", "netns", "exec", netns, "unshare", "--mount", "--", wrapper.toString()));
    }

    private String value(String file) {
        return cmd.must("cat", file).strip();
    }

    @Test
    void keysTurnedOffAreTurnedOnAndASecondEnsureChangesNothing() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/sys/net/bridge")), "br_netfilter cannot be loaded here");
        cmd.must("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0", "net.bridge.bridge-nf-call-ip6tables=0");
        assertEquals("0", value(IPT), "the fixture turned it off");

        BridgeNetfilter nf = new BridgeNetfilter(cmd);
        assertEquals(new BridgeNetfilter.Status.On(List.of("net.bridge.bridge-nf-call-iptables",
                "net.bridge.bridge-nf-call-ip6tables")), nf.ensure());
        assertEquals("1", value(IPT));
        assertEquals("1", value(IP6T));
        assertEquals(new BridgeNetfilter.Status.On(List.of()), nf.ensure());

        cmd.must("sysctl", "-qw", "net.bridge.bridge-nf-call-ip6tables=0");
        assertEquals(new BridgeNetfilter.Status.On(List.of("net.bridge.bridge-nf-call-ip6tables")), nf.ensure());
        assertEquals("1", value(IP6T));
        assertEquals("1", Commands.host().must("cat", IPT).strip(), "the host's own stays as it was");
    }

    @Test
    void aMissingModuleIsReportedWithWhatModprobeSaid() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/sys/net/bridge")), "br_netfilter cannot be loaded here");
        // the sysctls hidden as they are before the module loads; modprobe then cannot make them appear
        Commands masked = after("mount -t tmpfs -o ro,mode=0555 lnt-brnf-mask /proc/sys/net/bridge");
        BridgeNetfilter.Status s = new BridgeNetfilter(masked).ensure();
        String reason = assertInstanceOf(BridgeNetfilter.Status.Unavailable.class, s).reason();
        assertTrue(reason.startsWith("br_netfilter is not loaded (no /proc/sys/net/bridge) and modprobe br_netfilter "),
                reason);
        assertTrue(reason.endsWith("load it on the host (modprobe br_netfilter)"), reason);
        assertEquals("1", value(IPT), "nothing was changed");
    }

    @Test
    void aReadOnlyProcSysIsReportedAndChangesNothing() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/sys/net/bridge")), "br_netfilter cannot be loaded here");
        cmd.must("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0");
        Commands readOnly = after("mount --bind /proc/sys/net/bridge /proc/sys/net/bridge\n"
                + "mount -o remount,bind,ro /proc/sys/net/bridge");
        BridgeNetfilter.Status s = new BridgeNetfilter(readOnly).ensure();
        assertEquals(new BridgeNetfilter.Status.Unavailable("br_netfilter is off: cannot set"
                + " net.bridge.bridge-nf-call-iptables to 1: sysctl: permission denied on key"
                + " \"net.bridge.bridge-nf-call-iptables\" (is /proc/sys read-only here?); a Service's reply from a"
                + " backend on the same node as its client will come from the backend's address: set it on the host"
                + " (sysctl -w net.bridge.bridge-nf-call-iptables=1)"), s);
        assertEquals("0", value(IPT));
    }
}
