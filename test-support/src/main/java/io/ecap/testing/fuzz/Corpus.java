package io.ecap.testing.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fuzzing corpus kept in the repository: a folder of test resources, one input per file, named for what it covers
 * (or for the defect it once found). Replayed by a plain test on every run, and used as seeds by the mutators.
 */
public final class Corpus {
    private Corpus() {
    }

    /** The files of the test resource folder {@code folder} (e.g. {@code /fuzz/json}), sorted by name. */
    public static List<Path> files(final Class<?> anchor, final String folder) {
        final URL url = anchor.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no corpus folder " + folder + " on the test class path");
        }
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(final Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes for a failure message: printable ASCII as is, everything else as {@code \xNN}; at most 300 bytes. */
    public static String describe(final byte[] input) {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, 300); i++) {
            final int b = input[i] & 0xFF;
            s.append(b >= 0x20 && b < 0x7F && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02X", b));
        }
        return s + (input.length > 300 ? "... (" + input.length + " bytes)" : "");
    }

    public static String describe(final String input) {
        return describe(input.getBytes(StandardCharsets.UTF_8));
    }
}
