package io.ecap.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket (RFC 6455 framing by hand), so that a test can send frames no library would:
 * bad opcodes, reserved bits, unmasked frames, lying lengths, invalid UTF-8 in a text frame. Reads are bounded.
 */
final class RawWebSocket implements AutoCloseable {
    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    RawWebSocket(final int port, final String path, final String key) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), RawHttp.READ_TIMEOUT_MS);
        socket.setSoTimeout(RawHttp.READ_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-API-Key: " + key
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        final RawHttp.Response r = RawHttp.read(in);
        if (r.status() != 101) {
            throw new AssertionError("no upgrade: " + r.status() + " " + r.text());
        }
    }

    /** A well-formed, masked, final frame. */
    void send(final int opcode, final byte[] payload) throws IOException {
        sendRaw(frame(0x80 | opcode, payload, true));
    }

    void sendRaw(final byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (final IOException e) {
            // the server closed on an earlier frame: what it sent is still to be read
        }
    }

    /** A frame with this first byte (FIN, RSV, opcode), masked or not. */
    static byte[] frame(final int firstByte, final byte[] payload, final boolean masked) {
        final ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        final int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(mask | payload.length);
        } else if (payload.length < 65_536) {
            f.write(mask | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >> shift));
            }
        }
        final byte[] key = {0x12, 0x34, 0x56, 0x78};
        if (masked) {
            f.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return f.toByteArray();
    }

    /** The next frame, or null when the server closed the connection. A hang is an assertion error. */
    Frame read() throws IOException {
        try {
            final int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            final int b1 = in.read();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = length << 8 | in.read();
                }
            }
            return new Frame(b0 & 0x0F, in.readNBytes((int) length));
        } catch (final SocketTimeoutException e) {
            throw new AssertionError("no frame within " + RawHttp.READ_TIMEOUT_MS + " ms (a hang)", e);
        } catch (final java.net.SocketException e) {
            return null; // reset: closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
