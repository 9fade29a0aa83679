package io.ecap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: a user's clone has nothing beside it, so no code, script, build file or document
 * may reach outside it, and every link between the documents leads to a file (and heading) that is there.
 */
class RepositoryTest {
    private static final Path ROOT = Path.of(System.getProperty("ecap.root")).toAbsolutePath().normalize();
    /** Spelled in two parts so that this file does not match itself. */
    private static final String OUTSIDE = ".." + "/shared";
    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "data", "reports", ".idea",
        ".vscode", "node_modules");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+)$", Pattern.MULTILINE);

    @Test
    void shouldReferToNothingBesideTheRepository() throws IOException {
        final List<String> found = new ArrayList<>();
        for (final Path file : files()) {
            final String text = read(file);
            if (text != null && text.contains(OUTSIDE)) {
                found.add(ROOT.relativize(file).toString());
            }
        }
        assertEquals(List.of(), found, "files that use " + OUTSIDE + ", which a clone does not have");
    }

    @Test
    void shouldLinkOnlyToDocumentsAndHeadingsThatExist() throws IOException {
        final List<String> broken = new ArrayList<>();
        for (final Path file : files()) {
            if (!file.toString().endsWith(".md")) {
                continue;
            }
            final Matcher link = LINK.matcher(read(file));
            while (link.find()) {
                final String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                final String problem = problem(file, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (" + problem + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    private static String problem(final Path from, final String target) {
        final int hash = target.indexOf('#');
        final String path = hash < 0 ? target : target.substring(0, hash);
        final Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "outside the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
            return "no such heading";
        }
        return null;
    }

    /** GitHub's anchors: a heading in lower case, punctuation dropped, spaces as dashes. */
    private static List<String> anchors(final Path markdown) {
        final List<String> anchors = new ArrayList<>();
        final Matcher heading = HEADING.matcher(read(markdown));
        while (heading.find()) {
            anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-'));
        }
        return anchors;
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(ROOT)) {
            return all.filter(p -> ROOT.relativize(p).toString().isEmpty() || !skipped(ROOT.relativize(p)))
                .filter(Files::isRegularFile).toList();
        }
    }

    private static boolean skipped(final Path relative) {
        for (final Path part : relative) {
            if (SKIPPED_FOLDERS.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    /** The file as text, or null for a binary one. */
    private static String read(final Path file) {
        try {
            final byte[] bytes = Files.readAllBytes(file);
            for (final byte b : bytes) {
                if (b == 0) {
                    return null;
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
