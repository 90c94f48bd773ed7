package dev.linen.flaxd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linen.ovs.db.OvsdbEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switch's expected user is the OVSDB socket's owner. */
class FlowPlaneSwitchUidTest {
    @Test
    void theUnixSocketsOwnerIsTheSwitchsUser(@TempDir Path dir) throws IOException {
        Path socket = Files.createFile(dir.resolve("db.sock"));
        int self = (Integer) Files.getAttribute(socket, "unix:uid");
        assertEquals(OptionalInt.of(self), FlowPlane.switchUid(new OvsdbEndpoint.UnixSocket(socket)));
        assumeTrue(self == 0, "changing a file's owner needs root");
        Files.setAttribute(socket, "unix:uid", 65534);
        assertEquals(OptionalInt.of(65534), FlowPlane.switchUid(new OvsdbEndpoint.UnixSocket(socket)),
                "read again each time: a changed owner is seen");
    }

    @Test
    void aLinkIsNotFollowed(@TempDir Path dir) throws IOException {
        Path target = Files.createFile(dir.resolve("target"));
        int self = (Integer) Files.getAttribute(target, "unix:uid");
        assumeTrue(self == 0, "changing a file's owner needs root");
        Files.setAttribute(target, "unix:uid", 65534);
        Path link = Files.createSymbolicLink(dir.resolve("db.sock"), target);
        assertEquals(OptionalInt.of(0), FlowPlane.switchUid(new OvsdbEndpoint.UnixSocket(link)), "the link's owner, not its target's");
    }

    @Test
    void tcpMeansRootAndAMissingSocketNobodyYet(@TempDir Path dir) {
        assertEquals(OptionalInt.of(0), FlowPlane.switchUid(new OvsdbEndpoint.Tcp("127.0.0.1", 6640)));
        assertEquals(OptionalInt.empty(), FlowPlane.switchUid(new OvsdbEndpoint.UnixSocket(dir.resolve("absent.sock"))),
                "OVS not up yet: no switch is admitted until its socket shows whose it is");
    }
}
