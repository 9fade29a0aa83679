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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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
    private final Map<String, ApiKey> byHash = new ConcurrentHashMap<>();

    private ApiKeys(final Path file) {
        this.file = file;
    }

    /** Loads the keys file (it need not exist yet). */
    public static ApiKeys load(final Path file) throws IOException {
        final ApiKeys keys = new ApiKeys(file);
        if (Files.exists(file)) {
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
                final Set<String> merchants = parts.length == 4 ? parseMerchants(parts[3]) : Set.of();
                keys.byHash.put(parts[2], new ApiKey(parts[0], parseScopes(parts[1]), parts[2], merchants));
            }
        }
        return keys;
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
        if (!name.matches("[A-Za-z0-9._@-]{1,48}")) {
            throw new IllegalArgumentException("a key name is 1 to 48 letters, digits, '.', '_', '@' or '-'");
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
        byHash.put(hash, new ApiKey(name, EnumSet.copyOf(scopes), hash, checked));
        return key;
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
