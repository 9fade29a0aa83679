package io.ecap.gateway.auth;

import java.util.Set;

/**
 * A known API key: its name (what the journal records as the actor of admin changes), its scopes, and the SHA-256
 * of the key. The key itself is shown once, when it is created, and never stored.
 */
public record ApiKey(String name, Set<Scope> scopes, String sha256) {
    public boolean allows(final Scope scope) {
        return scopes.contains(scope);
    }
}
