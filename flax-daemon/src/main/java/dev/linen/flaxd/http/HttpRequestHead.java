package dev.linen.flaxd.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What {@link HealthServer} needs of an HTTP/1.x request: its method and path (the query dropped).
 * The whole head (request line and headers, up to the blank line) is read, the headers ignored.
 *
 * @param method e.g. {@code GET}
 * @param path   e.g. {@code /readyz}
 */
record HttpRequestHead(String method, String path) {

    /** A request the server answers with an error status and closes. */
    static final class BadRequest extends Exception {
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Reads one request head of at most {@code max} bytes.
     *
     * @throws BadRequest  if it is longer (431) or its request line is not {@code METHOD target HTTP/1.x} (400)
     * @throws IOException if the connection ends (or is closed) before the head does
     */
    static HttpRequestHead read(InputStream in, int max) throws IOException, BadRequest {
        byte[] buf = new byte[max];
        int n = 0;
        while (!endsHead(buf, n)) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed before the request head ended");
            }
            if (n == max) {
                throw new BadRequest(431, "request head longer than " + max + " bytes");
            }
            buf[n++] = (byte) b;
        }
        String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        String[] parts = head.substring(0, head.indexOf('\n')).strip().split(" ");
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].startsWith("/") || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "bad request line");
        }
        int query = parts[1].indexOf('?');
        return new HttpRequestHead(parts[0], query < 0 ? parts[1] : parts[1].substring(0, query));
    }

    /** A blank line ends the head: CRLF CRLF, or a bare LF LF. */
    private static boolean endsHead(byte[] b, int n) {
        if (n < 2 || b[n - 1] != '\n') {
            return false;
        }
        return b[n - 2] == '\n' || n >= 4 && b[n - 2] == '\r' && b[n - 3] == '\n' && b[n - 4] == '\r';
    }
}
