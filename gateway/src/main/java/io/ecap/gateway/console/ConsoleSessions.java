package io.ecap.gateway.console;

import io.ecap.gateway.auth.ApiKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console's sessions, in memory (a restart logs everyone out): a session is made by a login with an API key
 * and stands for that key, with its name, scopes and merchant limits exactly, until it is logged out, unused for
 * {@link #IDLE_MS} or older than {@link #LIFETIME_MS}. Its id is 32 random bytes, sent only in an HttpOnly cookie.
 * Safe from any thread; time is passed in.
 */
public final class ConsoleSessions {
    /** A session unused this long is over. */
    public static final long IDLE_MS = 30 * 60_000L;
    /** A session is over this long after the login, used or not. */
    public static final long LIFETIME_MS = 8 * 3_600_000L;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login: the key it stands for, when it began, when it was last used. */
    private static final class Session {
        private final ApiKey key;
        private final long startedMs;
        private volatile long usedMs;

        private Session(final ApiKey key, final long startedMs) {
            this.key = key;
            this.startedMs = startedMs;
            this.usedMs = startedMs;
        }

        private boolean over(final long nowMs) {
            return nowMs - usedMs >= IDLE_MS || nowMs - startedMs >= LIFETIME_MS;
        }
    }

    private final Map<String, Session> byId = new ConcurrentHashMap<>();

    /** Starts a session for {@code key}; its id, for the cookie. Sessions that are over are dropped meanwhile. */
    public String start(final ApiKey key, final long nowMs) {
        byId.values().removeIf(s -> s.over(nowMs));
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        final String id = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byId.put(id, new Session(key, nowMs));
        return id;
    }

    /** The key of a live session, which counts as used now; null for an unknown id or a session that is over. */
    public ApiKey use(final String id, final long nowMs) {
        final Session session = id == null ? null : byId.get(id);
        if (session == null) {
            return null;
        }
        if (session.over(nowMs)) {
            byId.remove(id, session);
            return null;
        }
        session.usedMs = nowMs;
        return session.key;
    }

    /** When a live session will be over if it is not used again (ms since the epoch), or 0 if it is not live. */
    public long endsAtMs(final String id, final long nowMs) {
        final Session session = id == null ? null : byId.get(id);
        if (session == null || session.over(nowMs)) {
            return 0;
        }
        return Math.min(session.usedMs + IDLE_MS, session.startedMs + LIFETIME_MS);
    }

    /** Ends a session (a logout); nothing happens for an unknown id. */
    public void end(final String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Ends the sessions of these keys (by their SHA-256): the keys were revoked. */
    public void revoke(final java.util.Set<String> keyHashes) {
        byId.values().removeIf(s -> keyHashes.contains(s.key.sha256()));
    }

    /** How many sessions are held (some may be over and not yet dropped). */
    public int size() {
        return byId.size();
    }
}
