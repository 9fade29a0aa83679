package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.testing.fuzz.FuzzProfile;
import io.ecap.testing.fuzz.Mutations;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes {@code /v1/stream} of a real gateway and engine: a few text messages whose bodies are hostile
 * ({@link HostileHttpRequests#bodies}), each answered in order with a decision or a documented error object (never
 * a server fault), then one junk frame (a bad opcode, reserved bits, an unmasked or fragmented frame, a lying
 * length, invalid UTF-8, a frame over the limit) and a close: the server answers or closes, never hangs, and a valid
 * transaction still scores afterwards.
 */
@AddLifecycleHook(FuzzProfile.class)
class WebSocketFuzzProperties {
    private static GatewayFixture f;

    @BeforeContainer
    static void start() throws Exception {
        f = new GatewayFixture(Files.createTempDirectory("ecap-ws-fuzz"), GatewayConfig.defaults().withRate(1_000_000));
    }

    @AfterContainer
    static void stop() throws Exception {
        f.closeAndDelete();
    }

    @Provide
    Arbitrary<List<byte[]>> messages() {
        return HostileHttpRequests.bodies(HostileHttpRequests.seeds()).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<byte[]> junk() {
        final byte[] text = Mutations.utf8("{}");
        return Arbitraries.of(
            RawWebSocket.frame(0x83, text, true), // reserved opcode
            RawWebSocket.frame(0xF1, text, true), // reserved bits
            RawWebSocket.frame(0x81, text, false), // unmasked client frame
            RawWebSocket.frame(0x01, text, true), // a fragment that never ends
            RawWebSocket.frame(0x80, text, true), // a continuation without a start
            RawWebSocket.frame(0x81, new byte[] {(byte) 0xC0, (byte) 0x80}, true), // invalid UTF-8
            RawWebSocket.frame(0x82, text, true), // binary
            RawWebSocket.frame(0x89, new byte[200], true), // a ping over 125 bytes
            RawWebSocket.frame(0x81, new byte[300_000], true), // over four times the body limit
            new byte[] {(byte) 0x81, (byte) 0xFF, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, // a length of 2^63 - 1
            new byte[] {0x00, 0x00, 0x00}); // garbage
    }

    @Property(tries = 60)
    void hostileStreamsGetAnswersInOrderAndNeverHang(@ForAll("messages") final List<byte[]> messages,
        @ForAll("junk") final byte[] junk) throws Exception {
        try (RawWebSocket ws = new RawWebSocket(f.gateway.port(), "/v1/stream", f.scoreKey)) {
            for (final byte[] message : messages) {
                ws.send(RawWebSocket.TEXT, message);
            }
            int answered = 0;
            while (answered < messages.size()) {
                final RawWebSocket.Frame frame = ws.read();
                if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
                    break; // a message of invalid UTF-8 is a protocol error: the server may close the stream for it
                }
                if (frame.opcode() == RawWebSocket.TEXT) {
                    HttpAnswers.streamAnswer("message " + answered, frame.text());
                    answered++;
                }
            }
            ws.sendRaw(junk);
            ws.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
            for (RawWebSocket.Frame frame = ws.read(); frame != null && frame.opcode() != RawWebSocket.CLOSE;
                frame = ws.read()) {
                if (frame.opcode() == RawWebSocket.TEXT) {
                    HttpAnswers.streamAnswer("after junk", frame.text());
                }
            }
        }
        HttpSurfaceFuzzProperties.stillScores(f);
    }

    /** The same stream without junk: every message gets exactly one answer, in order. */
    @Property(tries = 40)
    void everyMessageGetsOneAnswer(@ForAll("messages") final List<byte[]> messages) throws Exception {
        final List<byte[]> valid = messages.stream().map(m -> isUtf8(m) ? m : Mutations.utf8("not json")).toList();
        try (RawWebSocket ws = new RawWebSocket(f.gateway.port(), "/v1/stream", f.scoreKey)) {
            for (final byte[] message : valid) {
                ws.send(RawWebSocket.TEXT, message);
            }
            for (int i = 0; i < valid.size(); i++) {
                final RawWebSocket.Frame frame = ws.read();
                assertEquals(RawWebSocket.TEXT, frame == null ? -1 : frame.opcode(), "answer " + i);
                HttpAnswers.streamAnswer("message " + i, frame.text());
            }
            ws.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8});
        }
    }

    private static boolean isUtf8(final byte[] bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (final java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
