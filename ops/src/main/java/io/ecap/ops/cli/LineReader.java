package io.ecap.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads line-delimited input as raw bytes in large blocks and hands each line over in place, without decoding it (the
 * JSON readers validate UTF-8 themselves, so a line that is not valid UTF-8 is rejected like any other bad line and
 * never stops the input). A trailing carriage return is dropped; lines of only spaces and tabs are skipped. A line
 * longer than {@link #MAX_LINE} bytes is reported to {@link Handler#tooLong} and skipped.
 */
final class LineReader {
    /** Longest line handed over whole. */
    static final int MAX_LINE = 1 << 20;
    private static final int BLOCK = 4 << 20;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long BYTES_BASE = UnsafeApi.arrayBaseOffset(byte[].class);

    /** Receives lines; the buffer is valid only during the call. */
    interface Handler {
        void line(DirectBuffer buffer, int offset, int length, long lineNo);

        void tooLong(long lineNo, long length);
    }

    private final InputStream in;
    private final byte[] bytes = new byte[BLOCK];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private long lineNo;

    LineReader(final InputStream in) {
        this.in = in;
    }

    /** Hands every line to {@code handler}; returns the number of lines read (blank ones included). */
    long forEach(final Handler handler) throws IOException {
        int filled = 0;
        int start = 0;
        long skipping = -1;
        while (true) {
            final int n = in.read(bytes, filled, bytes.length - filled);
            if (n < 0) {
                break;
            }
            final int end = filled + n;
            int at = newline(filled, end);
            while (at < end) {
                lineNo++;
                if (skipping >= 0) {
                    handler.tooLong(lineNo, skipping + at - start);
                    skipping = -1;
                } else {
                    deliver(handler, start, at);
                }
                start = at + 1;
                at = newline(start, end);
            }
            if (start == 0 && end == bytes.length) {
                skipping = Math.max(skipping, 0) + end; // a line longer than the whole block: count and drop it
                filled = 0;
            } else {
                System.arraycopy(bytes, start, bytes, 0, end - start);
                filled = end - start;
            }
            start = 0;
            if (skipping < 0 && filled > MAX_LINE) {
                skipping = filled;
                filled = 0;
            }
        }
        if (filled > 0 || skipping >= 0) {
            lineNo++;
            if (skipping >= 0) {
                handler.tooLong(lineNo, skipping + filled);
            } else {
                deliver(handler, 0, filled);
            }
        }
        return lineNo;
    }

    /** The index of the first newline in {@code bytes[from, end)}, or {@code end}: eight bytes tested at a time. */
    private int newline(final int from, final int end) {
        int at = from;
        if (NATIVE_LE) {
            while (at + 8 <= end) {
                final long x = UnsafeApi.getLong(bytes, BYTES_BASE + at) ^ 0x0A0A0A0A0A0A0A0AL;
                final long zero = x - 0x0101010101010101L & ~x & 0x8080808080808080L; // lowest flag exact
                if (zero != 0) {
                    return at + (Long.numberOfTrailingZeros(zero) >>> 3);
                }
                at += 8;
            }
        }
        while (at < end && bytes[at] != '\n') {
            at++;
        }
        return at;
    }

    private void deliver(final Handler handler, final int start, final int newline) {
        int end = newline;
        if (end > start && bytes[end - 1] == '\r') {
            end--;
        }
        if (end - start > MAX_LINE) {
            handler.tooLong(lineNo, end - start);
            return;
        }
        for (int i = start; i < end; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t') {
                handler.line(buffer, start, end - start, lineNo);
                return;
            }
        }
    }
}
