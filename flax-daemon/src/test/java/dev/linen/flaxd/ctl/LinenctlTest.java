package dev.linen.flaxd.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linenctl's answers to bad usage and to a node where flaxd is not running (no flaxd, no OVS needed). */
class LinenctlTest {
    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        int exit = Linenctl.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        return new Run(exit, err.toString());
    }

    @Test
    void badUsageIsExitTwoWithTheReason(@TempDir Path dir) {
        String sock = dir.resolve("none.sock").toString();
        assertEquals(new Run(2, "linenctl: -o must be table or json: yaml\n"), run("--socket", sock, "-o", "yaml", "status"));
        assertEquals(new Run(2, "linenctl: --proto must be tcp, udp or icmp: sctp\n"),
                run("--socket", sock, "trace", "10.244.1.5", "10.244.2.5", "--proto", "sctp"));
        assertEquals(2, run("--socket", sock, "trace", "10.244.1.5").exit(), "DST missing");
        assertEquals(2, run("--socket", sock, "frobnicate").exit());
    }

    @Test
    void noFlaxdIsExitThreeAndSaysSo(@TempDir Path dir) {
        String sock = dir.resolve("none.sock").toString();
        String why = "linenctl: flaxd is not running on this node (no API socket at " + sock + "; see --socket or FLAXD_API)\n";
        assertEquals(new Run(3, why), run("--socket", sock, "status"));
        assertEquals(new Run(3, why), run("--socket", sock, "flows", "--peer", "node-2"));
        assertEquals(new Run(3, why), run("--socket", sock, "trace", "10.244.1.5", "10.244.2.5"));
    }
}
