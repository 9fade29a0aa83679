package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.Outcome;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaseOptionsTest {
    @Test
    void shouldBeOffWithoutADatabaseAndReadTheDecisions() {
        assertNull(CaseOptions.parse("", "REVIEW"));
        final CaseOptions on = CaseOptions.parse("postgresql://ecap:pw@localhost:5432/ecap", "DECLINE,REVIEW");
        assertEquals(Set.of(Outcome.REVIEW, Outcome.DECLINE), on.decisions());
        assertEquals(CaseOptions.DEFAULT_BATCH, on.batch());
        assertEquals("ecap", on.connectOptions().getDatabase());
        assertEquals(5432, on.connectOptions().getPort());
        assertEquals("postgresql://ecap:***@localhost:5432/ecap", on.redactedUrl());
    }

    @Test
    void shouldNameTheSettingAndTheProblem() {
        for (final String decisions : new String[] {"", "DECLINE", "REVIEW,APPROVE", "REVIEWS"}) {
            final String message = assertThrows(IllegalArgumentException.class,
                () -> CaseOptions.parse("", decisions)).getMessage();
            assertTrue(message.startsWith("cases.decisions: "), message);
            assertTrue(message.contains("expected REVIEW or REVIEW,DECLINE"), message);
        }
        for (final String url : new String[] {"localhost:5432/ecap", "postgresql://localhost:5432/ecap",
            "postgresql://ecap:secret@localhost:5432", "postgresql://ecap:secret@localhost:5432/"}) {
            final String message = assertThrows(IllegalArgumentException.class,
                () -> CaseOptions.parse(url, "REVIEW")).getMessage();
            assertTrue(message.startsWith("cases.database-url: expected postgresql://user:password@host:port/"
                + "database, found '"), message);
            assertTrue(!message.contains("secret"), "never the password: " + message);
        }
    }
}
