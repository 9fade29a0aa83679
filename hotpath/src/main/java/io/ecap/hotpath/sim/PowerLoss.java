package io.ecap.hotpath.sim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * What a power loss leaves of a file written through memory maps, made by hand: the pages that never reached the
 * disk read as zeros. For the simulation and the tests of the journal's repair (a daily file is sparse and much
 * longer than what it holds, so its written part ends at its last byte that is not zero).
 */
public final class PowerLoss {
    private PowerLoss() {
    }

    /** The place after the file's last byte that is not zero. */
    public static long writtenEnd(final Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            final byte[] chunk = new byte[1 << 20];
            long end = 0;
            for (long at = 0; at < raf.length(); at += chunk.length) {
                raf.seek(at);
                final int n = raf.read(chunk);
                for (int i = n - 1; i >= 0; i--) {
                    if (chunk[i] != 0) {
                        end = at + i + 1;
                        break;
                    }
                }
                if (n < chunk.length) {
                    break;
                }
            }
            return end;
        }
    }

    /** Zeroes the {@code bytes} before the file's written end, at most from {@code from}; returns the end. */
    public static long zeroEnd(final Path file, final long from, final int bytes) throws IOException {
        final long end = writtenEnd(file);
        final long start = Math.max(from, end - bytes);
        if (start < end) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(start);
                raf.write(new byte[(int) (end - start)]);
            }
        }
        return end;
    }
}
