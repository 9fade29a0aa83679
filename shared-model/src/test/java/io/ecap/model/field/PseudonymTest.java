package io.ecap.model.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class PseudonymTest {
    private static UnsafeBuffer ascii(final String text) {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void carriesTheHashesAndHashesToThem() {
        final long idHash = IdHash.of("c-erased-1");
        final String pseudonym = Pseudonym.of(idHash, 0x80000001);
        assertEquals(Pseudonym.LENGTH, pseudonym.length());
        final UnsafeBuffer written = new UnsafeBuffer(new byte[40]);
        assertEquals(Pseudonym.LENGTH, Pseudonym.write(written, 3, idHash, 0x80000001));
        assertEquals(pseudonym, written.getStringWithoutLengthAscii(3, Pseudonym.LENGTH));
        final UnsafeBuffer bytes = ascii(pseudonym);
        assertTrue(Pseudonym.is(bytes, 0, Pseudonym.LENGTH));
        assertEquals(idHash, IdHash.hash(bytes, 0, Pseudonym.LENGTH), "the id's hash, not the pseudonym's own");
        assertEquals(0x80000001, Pseudonym.sketchHash(bytes, 0));
    }

    @Test
    void onlyItsExactShapeIsOne() {
        final String pseudonym = Pseudonym.of(IdHash.of("c-1"), 7);
        for (final String other : new String[] {pseudonym.substring(1) + "0", pseudonym.toUpperCase(),
            pseudonym + "0", pseudonym.substring(0, 24), "~" + "g".repeat(24)}) {
            final UnsafeBuffer bytes = ascii(other);
            assertFalse(Pseudonym.is(bytes, 0, other.length()), other);
            assertEquals(IdHash.of(other), IdHash.hash(bytes, 0, other.length()));
        }
    }

    @Test
    void noIdMayHaveItsShape() {
        final String pseudonym = Pseudonym.of(IdHash.of("c-1"), 7);
        final ValidationException refused = Assertions.assertThrows(ValidationException.class,
            () -> Ids.check(ascii(pseudonym), 0, Pseudonym.LENGTH, Ids.MAX_LENGTH, "customerId"));
        assertEquals("customerId", refused.field());
        assertTrue(refused.problem().contains("pseudonym"), refused.problem());
        Ids.check(ascii(pseudonym.toUpperCase()), 0, Pseudonym.LENGTH, Ids.MAX_LENGTH, "customerId");
    }
}
