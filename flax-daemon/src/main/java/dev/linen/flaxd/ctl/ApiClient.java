package dev.linen.flaxd.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * linenctl's side of flaxd's local API: one GET per connection on the unix socket, the JSON
 * document back. Every failure is a {@link CtlException} that says what to do (flaxd not running,
 * not root, an old flaxd). Stateless, thread-safe.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A document is a few MiB at 5000 peers; more is not flaxd's. */
    private static final int MAX_RESPONSE = 16 << 20;   // 5000 peers: about 3 MiB; well inside linenctl's 64 MiB heap

    private final Path socket;

    ApiClient(Path socket) {
        this.socket = socket;
    }

    JsonNode status() throws CtlException {
        return get("/v1/status");
    }

    JsonNode pipeline() throws CtlException {
        return get("/v1/pipeline");
    }

    JsonNode flows() throws CtlException {
        return get("/v1/flows");
    }

    JsonNode get(String path) throws CtlException {
        String response = exchange(path);
        int end = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 ") || end < 0) {
            throw new CtlException("flaxd's API at " + socket + " answered something that is not HTTP");
        }
        String status = response.substring(9, Math.min(12, response.length()));
        String body = response.substring(end + 4);
        if (!status.equals("200")) {
            throw new CtlException("flaxd's API answered " + path + " with " + status + ": " + body.strip()
                    + (status.equals("404") ? " (is flaxd older than this linenctl?)" : ""));
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CtlException("flaxd's API answered " + path + " with invalid JSON: " + e.getMessage(), e);
        }
    }

    private String exchange(String path) throws CtlException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new CtlException("flaxd is not running on this node (no API socket at " + socket
                    + "; see --socket or FLAXD_API)");
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: flaxd\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(ch);
            byte[] all = in.readNBytes(MAX_RESPONSE + 1);
            if (all.length > MAX_RESPONSE) {
                throw new CtlException("flaxd's API answer to " + path + " is larger than " + MAX_RESPONSE + " bytes");
            }
            if (all.length == 0) {
                throw new CtlException("flaxd closed the API connection unanswered (linenctl must run as flaxd's"
                        + " user, root)");
            }
            return new String(all, StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw new CtlException("no permission to use " + socket + ": run linenctl as root", e);
        } catch (java.net.SocketException e) {
            String m = String.valueOf(e.getMessage());
            throw new CtlException(m.contains("ermission") ? "no permission to use " + socket + ": run linenctl as root"
                    : "flaxd is not running on this node (" + socket + ": " + m + ")", e);
        } catch (IOException e) {
            throw new CtlException("cannot talk to flaxd at " + socket + ": " + e.getMessage(), e);
        }
    }
}
