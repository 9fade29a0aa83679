package io.ecap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Searching files' bytes in tests: whether what was erased, masked or torn is really gone. */
public final class Bytes {
    private Bytes() {
    }

    /** Where {@code needle} first starts in {@code haystack}, or -1. */
    public static int indexOf(final byte[] haystack, final byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether {@code haystack} holds the ASCII bytes of {@code text}. */
    public static boolean contains(final byte[] haystack, final String text) {
        return indexOf(haystack, text.getBytes(StandardCharsets.US_ASCII)) >= 0;
    }

    /** Whether any file under {@code folder} (its subfolders too) holds the ASCII bytes of {@code text}. */
    public static boolean anyFileContains(final Path folder, final String text) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (final Path file : files.filter(Files::isRegularFile).toList()) {
                if (contains(Files.readAllBytes(file), text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
