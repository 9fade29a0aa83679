package io.ecap.gateway.auth;

import java.util.Set;

/**
 * A known API key: its name (what the journal records as the actor of admin changes, and the case audit as the actor
 * of case changes), its scopes, the SHA-256 of the key, and the merchants whose review cases it may see (empty: every
 * merchant). The key itself is shown once, when it is created, and never stored.
 */
public record ApiKey(String name, Set<Scope> scopes, String sha256, Set<String> merchants) {
    public ApiKey {
        merchants = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(merchants));
    }

    /** A key that sees every merchant. */
    public ApiKey(final String name, final Set<Scope> scopes, final String sha256) {
        this(name, scopes, sha256, Set.of());
    }

    public boolean allows(final Scope scope) {
        return scopes.contains(scope);
    }

    /** Whether the key is limited to some merchants' cases (otherwise it sees every case). */
    public boolean limitedToMerchants() {
        return !merchants.isEmpty();
    }
}
