package io.ecap.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * The lines handed over are the input's lines, whatever their lengths and wherever they fall in the reads and the
 * eight-byte steps of the newline search.
 */
class LineReaderTest {

    @Test
    void shouldHandOverEveryLineAsWritten() throws IOException {
        final Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            final StringBuilder text = new StringBuilder();
            final List<String> expected = new ArrayList<>();
            final int lines = random.nextInt(40);
            for (int i = 0; i < lines; i++) {
                final String line = line(random);
                text.append(line).append(random.nextInt(4) == 0 ? "\r\n" : "\n");
                if (!line.isBlank()) {
                    expected.add(line);
                }
            }
            if (random.nextBoolean()) {
                final String last = "last" + line(random); // no newline at the end
                text.append(last);
                expected.add(last);
            }
            final byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            assertEquals(expected, read(new Trickle(bytes, random)), "round " + round);
        }
    }

    private static String line(final Random random) {
        final StringBuilder line = new StringBuilder();
        final int length = random.nextInt(5) == 0 ? random.nextInt(3) : random.nextInt(70);
        for (int i = 0; i < length; i++) {
            line.append(random.nextInt(10) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return line.toString();
    }

    private static List<String> read(final InputStream in) throws IOException {
        final List<String> lines = new ArrayList<>();
        new LineReader(in).forEach(new LineReader.Handler() {
            @Override
            public void line(final DirectBuffer buffer, final int offset, final int length, final long lineNo) {
                lines.add(buffer.getStringWithoutLengthUtf8(offset, length));
            }

            @Override
            public void tooLong(final long lineNo, final long length) {
                throw new AssertionError("no line is too long here");
            }
        });
        return lines;
    }

    /** Hands the bytes over a few at a time, so that lines and steps straddle the reads. */
    private static final class Trickle extends ByteArrayInputStream {
        private final Random random;

        Trickle(final byte[] bytes, final Random random) {
            super(bytes);
            this.random = random;
        }

        @Override
        public synchronized int read(final byte[] b, final int off, final int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(23)));
        }
    }
}
