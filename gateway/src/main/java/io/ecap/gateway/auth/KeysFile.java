package io.ecap.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The keys file: a comment line, then a line per key {@code name<TAB>scope,scope<TAB>sha256}, with a fourth column
 * {@code <TAB>merchant,merchant} for a key limited to those merchants' review cases (files written before that
 * column existed load as they are). Written whole to a new file that is then moved over the old one, so that a reader
 * never sees half of it; a file written here is never empty, even with no key left.
 */
final class KeysFile {
    static final String HEADER = "# ECAP API keys, one per line: name<TAB>scopes<TAB>sha256[<TAB>merchants]"
        + " (ecap keys create | list | revoke)";

    private KeysFile() {
    }

    /** The keys of the file (none when it does not exist), by hash; a line that does not read is named. */
    static Map<String, ApiKey> read(final Path file) throws IOException {
        final Map<String, ApiKey> keys = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return keys;
        }
        int lineNo = 0;
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                final ApiKey key = parse(line);
                keys.put(key.sha256(), key);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static ApiKey parse(final String line) {
        final String[] parts = line.split("\t");
        if (parts.length < 3 || parts.length > 4) {
            throw new IllegalArgumentException("expected name<TAB>scopes<TAB>sha256[<TAB>merchants], found "
                + parts.length + " column" + (parts.length == 1 ? "" : "s"));
        }
        if (!parts[2].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the third column is not a key's SHA-256 (64 lowercase hex digits)");
        }
        final Set<String> merchants = parts.length == 4 ? ApiKeys.parseMerchants(parts[3]) : Set.of();
        return new ApiKey(parts[0], ApiKeys.parseScopes(parts[1]), parts[2], merchants);
    }

    /** A key's line. */
    static String line(final ApiKey key) {
        final List<String> scopes = new ArrayList<>();
        for (final Scope s : key.scopes()) {
            scopes.add(s.label());
        }
        return key.name() + "\t" + String.join(",", scopes) + "\t" + key.sha256()
            + (key.merchants().isEmpty() ? "" : "\t" + String.join(",", key.merchants()));
    }

    /** Writes the file whole: the comment lines it had (or the header), then these keys. */
    static void write(final Path file, final Collection<ApiKey> keys) throws IOException {
        final List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        if (lines.isEmpty()) {
            lines.add(HEADER);
        }
        keys.forEach(k -> lines.add(line(k)));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        final Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.write(next, lines, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The file's identity (inode), size and modification time (ns), or "none" when it does not exist. */
    static String stamp(final Path file) throws IOException {
        if (!Files.exists(file)) {
            return "none";
        }
        final BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.fileKey() + "/" + a.size() + "@" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }
}
