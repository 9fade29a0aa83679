package io.ecap.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API keys, stored hashed in a file of lines {@code name<TAB>scope,scope<TAB>sha256}, with a fourth column
 * {@code <TAB>merchant,merchant} for a key limited to those merchants' review cases (files written before that
 * column existed load as they are: their keys see every merchant). Keys are 32 random bytes (as {@code ecap_} and 64
 * hex digits), so an unsalted SHA-256 cannot be reversed. Lookups are by hash and safe from any thread.
 */
public final class ApiKeys {
    private static final String PREFIX = "ecap_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    /** Replaced whole on every change, so that a lookup sees one version of the file or the next. */
    private volatile Map<String, ApiKey> byHash = Map.of();
    /** The file's size and modification time when it was last read or written here. */
    private String stamp;

    private ApiKeys(final Path file) {
        this.file = file;
    }

    /** Loads the keys file (it need not exist yet). */
    public static ApiKeys load(final Path file) throws IOException {
        final ApiKeys keys = new ApiKeys(file);
        keys.stamp = stamp(file);
        keys.byHash = read(file);
        return keys;
    }

    private static Map<String, ApiKey> read(final Path file) throws IOException {
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
            final String[] parts = line.split("\t");
            if (parts.length < 3 || parts.length > 4 || !parts[2].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(file + " line " + lineNo
                    + ": expected name<TAB>scopes<TAB>sha256[<TAB>merchants]");
            }
            try {
                final Set<String> merchants = parts.length == 4 ? parseMerchants(parts[3]) : Set.of();
                keys.put(parts[2], new ApiKey(parts[0], parseScopes(parts[1]), parts[2], merchants));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    private static String stamp(final Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis() : "none";
    }

    /**
     * Reads the file again if it changed since it was last read or written here (an {@code ecap keys} command of
     * another process): keys added there work from now on, keys revoked there stop working. Returns what changed, or
     * null when nothing did. A file that does not read, or that is gone, leaves the keys as they were: the first
     * throws an {@link IllegalArgumentException} naming the line (once for each change of the file), the second
     * an {@link IOException}.
     */
    public synchronized Change reload() throws IOException {
        final String now = stamp(file);
        if (now.equals(stamp)) {
            return null;
        }
        stamp = now;
        if (!Files.exists(file)) {
            throw new IOException("the keys file " + file + " is gone; the " + byHash.size()
                + " keys read before stay in force (revoke keys with ecap keys revoke)");
        }
        final Map<String, ApiKey> next = read(file);
        final Change change = Change.between(byHash, next);
        byHash = next;
        return change.isEmpty() ? null : change;
    }

    /** What a reload changed: keys added, keys revoked, keys whose scopes or merchants changed. */
    public record Change(List<ApiKey> added, List<ApiKey> revoked, List<ApiKey> changed) {
        static Change between(final Map<String, ApiKey> before, final Map<String, ApiKey> after) {
            final List<ApiKey> added = new ArrayList<>();
            final List<ApiKey> changed = new ArrayList<>();
            for (final ApiKey key : after.values()) {
                final ApiKey old = before.get(key.sha256());
                if (old == null) {
                    added.add(key);
                } else if (!old.equals(key)) {
                    changed.add(key);
                }
            }
            final List<ApiKey> revoked = before.values().stream().filter(k -> !after.containsKey(k.sha256())).toList();
            return new Change(added, revoked, changed);
        }

        boolean isEmpty() {
            return added.isEmpty() && revoked.isEmpty() && changed.isEmpty();
        }

        /** The hashes of the revoked keys. */
        public Set<String> revokedHashes() {
            final Set<String> hashes = new TreeSet<>();
            revoked.forEach(k -> hashes.add(k.sha256()));
            return hashes;
        }

        @Override
        public String toString() {
            return "added " + names(added) + ", revoked " + names(revoked) + ", scopes or merchants changed "
                + names(changed);
        }

        private static String names(final List<ApiKey> keys) {
            return keys.isEmpty() ? "none" : String.join(", ", keys.stream().map(ApiKey::name).toList());
        }
    }

    public static Set<Scope> parseScopes(final String text) {
        final Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (final String s : text.split(",")) {
            try {
                scopes.add(Scope.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scope '" + s.trim() + "' (" + String.join(", ",
                    java.util.Arrays.stream(Scope.values()).map(Scope::label).toList()) + ")");
            }
        }
        return scopes;
    }

    /**
     * A comma-separated list of merchant ids (as transactions carry them in {@code merchantId}); an empty text is no
     * limit. An id is 1 to 64 characters without commas, white space or control characters.
     */
    public static Set<String> parseMerchants(final String text) {
        final Set<String> merchants = new TreeSet<>();
        if (text.isBlank()) {
            return merchants;
        }
        for (final String m : text.split(",", -1)) {
            final String id = m.trim();
            if (!id.matches("[^,\\s\\p{Cntrl}]{1,64}")) {
                throw new IllegalArgumentException("merchants: expected merchant ids separated by commas (1 to 64 "
                    + "characters each, no spaces), found '" + id + "'");
            }
            merchants.add(id);
        }
        return merchants;
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** Whether a key of this name is in the file. */
    public boolean has(final String name) {
        return byHash.values().stream().anyMatch(k -> k.name().equals(name));
    }

    public List<ApiKey> list() {
        return new ArrayList<>(byHash.values());
    }

    /**
     * Creates a key, appends its hash to the file and returns the key text, which is shown once and never again.
     */
    public String create(final String name, final Set<Scope> scopes) throws IOException {
        return create(name, scopes, Set.of());
    }

    /**
     * As {@link #create(String, Set)}, for a key that sees only these merchants' review cases (empty: every
     * merchant's).
     */
    public synchronized String create(final String name, final Set<Scope> scopes, final Set<String> merchants)
        throws IOException {
        checkName(name);
        reloadQuietly();
        if (has(name)) {
            throw new IllegalArgumentException("a key named '" + name + "' exists; give the new key another name "
                + "(to replace a key: create the new one, move the clients to it, then ecap keys revoke the old)");
        }
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        final String key = PREFIX + HexFormat.of().formatHex(secret);
        final String hash = sha256(key);
        final StringBuilder scopeList = new StringBuilder();
        for (final Scope s : scopes) {
            scopeList.append(scopeList.length() == 0 ? "" : ",").append(s.label());
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        final Set<String> checked = parseMerchants(String.join(",", merchants));
        final String merchantList = checked.isEmpty() ? "" : "\t" + String.join(",", checked);
        Files.writeString(file, name + "\t" + scopeList + "\t" + hash + merchantList + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        final Map<String, ApiKey> next = new LinkedHashMap<>(byHash);
        next.put(hash, new ApiKey(name, EnumSet.copyOf(scopes), hash, checked));
        byHash = next;
        stamp = stamp(file);
        return key;
    }

    /**
     * Removes the keys of this name from the file (written whole to a new file, then moved over the old one); a
     * running service stops taking them at its next look at the file. Returns how many were removed.
     */
    public synchronized int revoke(final String name) throws IOException {
        checkName(name);
        reloadQuietly();
        if (!has(name)) {
            throw new IllegalArgumentException("no key named '" + name + "' (ecap keys list shows them)");
        }
        final List<String> kept = new ArrayList<>();
        int removed = 0;
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.split("\t", 2)[0].equals(name) && !line.startsWith("#")) {
                removed++;
            } else {
                kept.add(line);
            }
        }
        final Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.write(next, kept, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        final Map<String, ApiKey> keys = new LinkedHashMap<>(byHash);
        keys.values().removeIf(k -> k.name().equals(name));
        byHash = keys;
        stamp = stamp(file);
        return removed;
    }

    /** Catches up with the file before changing it, so that a change made elsewhere is not lost. */
    private void reloadQuietly() throws IOException {
        if (Files.exists(file)) {
            reload();
        }
    }

    private static void checkName(final String name) {
        if (!name.matches("[A-Za-z0-9._@-]{1,48}")) {
            throw new IllegalArgumentException("a key name is 1 to 48 letters, digits, '.', '_', '@' or '-'");
        }
    }

    /** The key as the file has it now (its scopes may have changed), or null once it is revoked. */
    public ApiKey current(final ApiKey key) {
        return byHash.get(key.sha256());
    }

    /** The key presented in a request, or null if it is not one of ours. */
    public ApiKey find(final String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() != PREFIX.length() + 64) {
            return null;
        }
        return byHash.get(sha256(presented));
    }

    static String sha256(final String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
