package dev.linen.flaxd.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import dev.linen.ovs.proc.ProcessRunner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalApiServerTest {
    private Path tmp;

    @BeforeEach
    void dir() throws IOException {
        tmp = Files.createTempDirectory("lnapi-test-");
    }

    @AfterEach
    void clean() throws IOException {
        try (var all = Files.walk(tmp)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String get(Path socket, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesJsonOnASocketOnlyItsOwnerCanReach() throws IOException {
        Path socket = tmp.resolve("api/api.sock");
        try (LocalApiServer s = new LocalApiServer(socket, Map.of("/v1/x", () -> "{\"a\":1}"))) {
            s.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            String ok = get(socket, "/v1/x");
            assertTrue(ok.startsWith("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"), ok);
            assertTrue(ok.endsWith("\r\n\r\n{\"a\":1}\n"), ok);
            String missing = get(socket, "/v1/nope");
            assertTrue(missing.startsWith("HTTP/1.1 404 ") && missing.endsWith("not found: /v1/nope (paths: /v1/x)\n"), missing);
        }
        assertFalse(Files.exists(socket), "close removes the socket");
    }

    /** A client (Debian's python3: another user can run it): sends a GET, prints "answer:" and whatever came back before the close. */
    private static final String CLIENT = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_UNIX)",
            "s.settimeout(5)",
            "s.connect(sys.argv[1])",
            "data = b''",
            "try:",
            "    s.sendall(b'GET /v1/x HTTP/1.1\\r\\n\\r\\n')",
            "    while True:",
            "        chunk = s.recv(4096)",
            "        if not chunk:",
            "            break",
            "        data += chunk",
            "except (ConnectionResetError, BrokenPipeError):",
            "    pass",
            "print('answer:' + data.decode())");

    @Test
    void anotherUserIsRefusedUnheardEvenWithTheSocketOpenToAll() throws Exception {
        Path socket = tmp.resolve("api/api.sock");
        try (LocalApiServer s = new LocalApiServer(socket, Map.of("/v1/x", () -> "{\"a\":1}"))) {
            s.start();
            // the test opens the path to everyone: only the peer-credential check is left
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            ProcessRunner runner = new ProcessRunner(java.time.Duration.ofSeconds(10), 1 << 16);
            ProcessRunner.Result nobody = runner.run(List.of("setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", "/usr/bin/python3", "-c", CLIENT, socket.toString()));
            assertEquals(0, nobody.exit(), nobody.output());
            assertEquals("answer:", nobody.output().strip(), "uid 65534 got an answer");
            ProcessRunner.Result self = runner.run(List.of("/usr/bin/python3", "-c", CLIENT, socket.toString()));
            assertEquals(0, self.exit(), self.output());
            assertTrue(self.output().strip().endsWith("{\"a\":1}"), "flaxd's own user is served: " + self.output());
        }
    }

    @Test
    void aRouteThatCannotAnswerNowIs503WithItsReasonAndAFaultIs500() throws IOException {
        Path socket = tmp.resolve("api/api.sock");
        try (LocalApiServer s = new LocalApiServer(socket, Map.of(
                "/v1/flows", () -> {
                    throw new LocalApiServer.Unavailable("cannot read the bridge's flows: no switch is connected to flaxd");
                },
                "/v1/bug", () -> {
                    throw new IllegalStateException("a bug");
                }))) {
            s.start();
            String busy = get(socket, "/v1/flows");
            assertTrue(busy.startsWith("HTTP/1.1 503 ") && busy.endsWith(
                    "\r\n\r\ncannot read the bridge's flows: no switch is connected to flaxd\n"), busy);
            String bug = get(socket, "/v1/bug");
            assertTrue(bug.startsWith("HTTP/1.1 500 ") && bug.endsWith("internal error: a bug\n"), bug);
        }
    }

    @Test
    void aStaleSocketIsReplacedButNothingElse() throws IOException {
        Path socket = tmp.resolve("api/api.sock");
        new LocalApiServer(socket, Map.of()).close();
        try (LocalApiServer first = new LocalApiServer(socket, Map.of())) {
            // a second flaxd after a crash finds the first one's socket file
            new LocalApiServer(socket, Map.of()).close();
        }
        Files.writeString(socket, "not a socket");
        IOException e = assertThrows(IOException.class, () -> new LocalApiServer(socket, Map.of()));
        assertEquals(socket + " exists and is not a socket: refusing to replace it", e.getMessage());
        assertEquals("not a socket", Files.readString(socket), "left as it was");
    }

    @Test
    void aDirectoryThatHoldsOtherFilesIsRefusedAndLeftAsItWas() throws IOException {
        // FLAXD_API=/run/api.sock by mistake: /run must not become flaxd's private directory
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(shared.resolve("other.pid"), "42");
        IOException e = assertThrows(IOException.class, () -> new LocalApiServer(shared.resolve("api.sock"), Map.of()));
        assertEquals("API socket directory " + shared + " holds more than flaxd's socket (other.pid): give FLAXD_API"
                + " a directory of its own", e.getMessage());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)), "mode kept");
        assertFalse(Files.exists(shared.resolve("api.sock")), "no socket made");
    }

    @Test
    void aSymlinkedDirectoryIsRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Files.createSymbolicLink(tmp.resolve("link"), real);
        IOException e = assertThrows(IOException.class, () -> new LocalApiServer(tmp.resolve("link/api.sock"), Map.of()));
        assertTrue(e.getMessage().contains("is not a directory (a symlink is refused)"), e.getMessage());
        try (var l = Files.list(real)) {
            assertEquals(0, l.count(), "nothing made through the link");
        }
    }
}
