package io.ecap.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The API keys, stored hashed in the {@link KeysFile}. Keys are 32 random bytes (as {@code ecap_} and 64 hex digits),
 * so an unsalted SHA-256 cannot be reversed. Lookups are by hash and safe from any thread; a running service follows
 * the file as other processes change it ({@link #reload}, {@link KeyWatch}).
 */
public final class ApiKeys {
    private static final String PREFIX = "ecap_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    /** Whether the file existed when the keys were loaded: a new data folder's first start makes a key. */
    private final boolean existed;
    /** Replaced whole on every change, so that a lookup sees one version of the file or the next. */
    private volatile Map<String, ApiKey> byHash = Map.of();
    /** The file's size and modification time when it was last read or written here. */
    private String stamp;
    /** Whether the last reading of the file failed (the next good one says so). */
    private boolean failing;

    private ApiKeys(final Path file, final boolean existed) {
        this.file = file;
        this.existed = existed;
    }

    /** Loads the keys file (it need not exist yet). */
    public static ApiKeys load(final Path file) throws IOException {
        final ApiKeys keys = new ApiKeys(file, Files.exists(file));
        keys.stamp = KeysFile.stamp(file);
        keys.byHash = KeysFile.read(file);
        return keys;
    }

    /** Whether there was no keys file when these keys were loaded (as in a new data folder). */
    public boolean noFileAtLoad() {
        return !existed;
    }

    /**
     * Reads the file again if it changed since it was last read or written here (an {@code ecap keys} command of
     * another process): keys added there work from now on, keys revoked there stop working. Returns what changed, or
     * null when nothing did. A file that does not read, or that is empty, leaves the keys as they were and throws (an
     * {@link IllegalArgumentException} naming the line, an {@link IOException}), once for each change of the file;
     * a file that is gone is written again from the keys in force, and that is thrown as well, to be logged.
     */
    public synchronized Change reload() throws IOException {
        final String now = KeysFile.stamp(file);
        if (now.equals(stamp)) {
            return null;
        }
        stamp = now;
        final String kept = "; the " + byHash.size() + " keys read before stay in force";
        if (!Files.exists(file)) {
            if (byHash.isEmpty()) {
                return null;
            }
            KeysFile.write(file, byHash.values());
            stamp = KeysFile.stamp(file);
            throw new IOException("the keys file " + file + " was gone: written again from the " + byHash.size()
                + " keys in force (ecap keys revoke revokes keys)");
        }
        if (Files.size(file) == 0) {
            failing = true;
            throw new IOException("the keys file " + file + " is empty (being written, or emptied by hand)" + kept
                + " (ecap keys revoke revokes keys)");
        }
        final Map<String, ApiKey> next;
        try {
            next = KeysFile.read(file);
        } catch (final IllegalArgumentException e) {
            failing = true;
            throw new IllegalArgumentException(e.getMessage() + kept, e);
        }
        final Change change = Change.between(byHash, next, failing);
        failing = false;
        byHash = next;
        return change.isEmpty() ? null : change;
    }

    /**
     * What a reload changed: keys added, keys revoked, keys whose scopes or merchants changed; {@code recovered}
     * when the file reads again after a reading that failed.
     */
    public record Change(List<ApiKey> added, List<ApiKey> revoked, List<ApiKey> changed, boolean recovered) {
        static Change between(final Map<String, ApiKey> before, final Map<String, ApiKey> after,
            final boolean recovered) {
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
            return new Change(added, revoked, changed, recovered);
        }

        boolean isEmpty() {
            return added.isEmpty() && revoked.isEmpty() && changed.isEmpty() && !recovered;
        }

        /** The hashes of the revoked keys. */
        public Set<String> revokedHashes() {
            final Set<String> hashes = new TreeSet<>();
            revoked.forEach(k -> hashes.add(k.sha256()));
            return hashes;
        }

        @Override
        public String toString() {
            return (recovered ? "the file reads again; " : "") + "added " + names(added) + ", revoked "
                + names(revoked) + ", scopes or merchants changed " + names(changed);
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
     * Creates a key, adds its hash to the file and returns the key text, which is shown once and never again.
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
        final ApiKey made = new ApiKey(name, EnumSet.copyOf(scopes), hash, parseMerchants(String.join(",",
            merchants)));
        if (Files.exists(file)) {
            Files.writeString(file, KeysFile.line(made) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } else {
            KeysFile.write(file, List.of(made));
        }
        final Map<String, ApiKey> next = new LinkedHashMap<>(byHash);
        next.put(hash, made);
        byHash = next;
        stamp = KeysFile.stamp(file);
        return key;
    }

    /**
     * Removes the keys of this name from the file (written whole, {@link KeysFile}); a running service stops taking
     * them at its next look at the file. Returns how many were removed.
     */
    public synchronized int revoke(final String name) throws IOException {
        checkName(name);
        reloadQuietly();
        if (!has(name)) {
            throw new IllegalArgumentException("no key named '" + name + "' (ecap keys list shows them)");
        }
        final Map<String, ApiKey> keys = new LinkedHashMap<>(byHash);
        final int before = keys.size();
        keys.values().removeIf(k -> k.name().equals(name));
        KeysFile.write(file, keys.values());
        byHash = keys;
        stamp = KeysFile.stamp(file);
        final int removed = before - keys.size();
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
