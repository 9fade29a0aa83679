package io.ecap.testing;

import java.nio.charset.StandardCharsets;

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
}
