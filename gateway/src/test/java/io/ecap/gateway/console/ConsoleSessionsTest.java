package io.ecap.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ecap.gateway.auth.ApiKey;
import io.ecap.gateway.auth.Scope;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sessions end when logged out, when idle for 30 minutes, 8 hours after the login, and when their key is revoked;
 * time is passed in.
 */
class ConsoleSessionsTest {
    private static final ApiKey KEY = new ApiKey("ann", EnumSet.of(Scope.ANALYST), "00".repeat(32), Set.of("m-2"));

    @Test
    void shouldStandForTheKeyWithItsScopesAndMerchantsUntilLoggedOut() {
        final ConsoleSessions sessions = new ConsoleSessions();
        final String id = sessions.start(KEY, 1_000);
        assertNotEquals(id, sessions.start(KEY, 1_000), "every login has an id of its own");
        assertEquals(KEY, sessions.use(id, 2_000));
        assertEquals(Set.of("m-2"), sessions.use(id, 2_000).merchants());
        assertNull(sessions.use("not-a-session", 2_000));
        assertNull(sessions.use(null, 2_000));
        sessions.end(id);
        assertNull(sessions.use(id, 3_000));
    }

    @Test
    void shouldEndASessionIdleForThirtyMinutesAndKeepOneInUse() {
        final ConsoleSessions sessions = new ConsoleSessions();
        final String idle = sessions.start(KEY, 0);
        final String busy = sessions.start(KEY, 0);
        for (long t = 0; t < 60 * 60_000L; t += 20 * 60_000L) {
            assertEquals(KEY, sessions.use(busy, t));
        }
        assertEquals(40 * 60_000L + ConsoleSessions.IDLE_MS, sessions.endsAtMs(busy, 40 * 60_000L));
        assertNull(sessions.use(idle, ConsoleSessions.IDLE_MS));
        assertEquals(0, sessions.endsAtMs(idle, ConsoleSessions.IDLE_MS));
    }

    @Test
    void shouldEndEverySessionEightHoursAfterTheLoginAndDropEndedOnesAtTheNextLogin() {
        final ConsoleSessions sessions = new ConsoleSessions();
        final String id = sessions.start(KEY, 0);
        long t = 0;
        while (t + 20 * 60_000L < ConsoleSessions.LIFETIME_MS) {
            t += 20 * 60_000L;
            assertEquals(KEY, sessions.use(id, t), "in use at " + t);
        }
        assertEquals(ConsoleSessions.LIFETIME_MS, sessions.endsAtMs(id, t));
        assertNull(sessions.use(id, ConsoleSessions.LIFETIME_MS));
        sessions.start(KEY, 0);
        sessions.start(KEY, ConsoleSessions.LIFETIME_MS + 1);
        assertEquals(1, sessions.size(), "the ended ones are dropped");
    }

    @Test
    void shouldEndTheSessionsOfARevokedKeyOnly() {
        final ConsoleSessions sessions = new ConsoleSessions();
        final ApiKey other = new ApiKey("bob", EnumSet.of(Scope.LABEL), "11".repeat(32));
        final String first = sessions.start(KEY, 0);
        final String second = sessions.start(KEY, 0);
        final String kept = sessions.start(other, 0);
        sessions.revoke(Set.of(KEY.sha256()));
        assertNull(sessions.use(first, 1));
        assertNull(sessions.use(second, 1));
        assertEquals(other, sessions.use(kept, 1));
    }
}
