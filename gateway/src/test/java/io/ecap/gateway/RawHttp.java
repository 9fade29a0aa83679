package io.ecap.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client on a plain socket, so that a test can send any bytes at all (a broken request
 * line, a header without a colon, a body shorter than its Content-Length) and read what comes back. Every read has a
 * timeout: a server that does not answer is reported as a hang, not waited for.
 */
final class RawHttp {
    /** What came back: a status, headers (lower-case names) and a body; status 0 when the server just closed. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static final int READ_TIMEOUT_MS = 10_000;

    private RawHttp() {
    }

    /** Sends the bytes, half-closes the socket when {@code halfClose}, and reads one response (or the close). */
    static Response exchange(final int port, final byte[] request, final boolean halfClose) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (final IOException e) {
                // the server may close before reading it all (a refused header block): read what it answered
            }
            return read(socket.getInputStream());
        } catch (final SocketTimeoutException e) {
            throw new AssertionError("no answer within " + READ_TIMEOUT_MS + " ms (a hang)", e);
        }
    }

    static Response read(final InputStream in) throws IOException {
        final String head;
        try {
            head = readHead(in);
        } catch (final java.net.SocketException e) {
            return new Response(0, Map.of(), new byte[0]); // connection reset: closed without an answer
        }
        if (head.isEmpty()) {
            return new Response(0, Map.of(), new byte[0]);
        }
        final String[] lines = head.split("\r\n");
        final String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new AssertionError("not an HTTP response: " + lines[0]);
        }
        final Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            final int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                .trim());
        }
        final int status = Integer.parseInt(statusLine[1]);
        final String length = headers.get("content-length");
        final byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = new byte[0];
        }
        return new Response(status, headers, body);
    }

    private static String readHead(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return "";
                }
                throw new AssertionError("the connection closed inside a response head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        final String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    private static byte[] readChunked(final InputStream in) throws IOException {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            final String size = readLine(in);
            final int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine(in);
        }
    }

    private static String readLine(final InputStream in) throws IOException {
        final StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
