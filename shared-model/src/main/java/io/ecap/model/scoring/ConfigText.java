package io.ecap.model.scoring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The text of a rule set or a model file, read from a file: UTF-8, at most {@link #MAX_BYTES}. The engine journals
 * the whole text when it goes live (one journal entry), and the admin API takes uploads up to the same size, so a
 * file any larger is refused before it is read, with its size, wherever it is named ({@code engine.rules},
 * {@code engine.model}, {@code --rules}, {@code --model}, {@code --champion}).
 */
public final class ConfigText {
    /** The largest rule set or model text: 16 MiB (1,000 trees of depth 6 take about 3 MB). */
    public static final int MAX_BYTES = 16 << 20;

    private ConfigText() {
    }

    /**
     * Whether two texts are the same rule set or model as the parsers read them: a byte-order mark first, Windows
     * line ends ({@code \r\n}), spaces at the ends of lines and blank lines at either end make no other one, so the
     * same file saved by another editor keeps its version.
     */
    public static boolean same(final String a, final String b) {
        return a.equals(b) || canonical(a).equals(canonical(b));
    }

    private static String canonical(final String text) {
        return (text.startsWith("\uFEFF") ? text.substring(1) : text).lines().map(String::stripTrailing)
            .collect(java.util.stream.Collectors.joining("\n")).strip();
    }

    /**
     * The file's text.
     *
     * @throws IOException naming the problem: unreadable, larger than {@link #MAX_BYTES}, or not UTF-8 text.
     */
    public static String read(final Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(Files.exists(file) ? "not a regular file" : "no such file");
        }
        final long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(String.format(Locale.ROOT, "too large (%.1f MiB): a rule set or model file takes "
                + "at most %d MiB (the journal keeps its whole text)", size / 1048576.0, MAX_BYTES >> 20));
        }
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > MAX_BYTES) {
            throw new IOException("grew past " + (MAX_BYTES >> 20) + " MiB while it was read");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (final CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        }
    }
}
