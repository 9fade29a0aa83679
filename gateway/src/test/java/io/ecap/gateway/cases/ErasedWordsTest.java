package io.ecap.gateway.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ecap.hotpath.state.EntityKind;
import io.ecap.model.field.IdHash;
import org.junit.jupiter.api.Test;

class ErasedWordsTest {
    private static String redact(final EntityKind kind, final String id, final String text) {
        return new ErasedWords(kind, IdHash.of(id)).redact(text);
    }

    @Test
    void marksTheIdHoweverTheTextPunctuatesIt() {
        assertEquals("customer [erased], again", redact(EntityKind.CUSTOMER, "c-7", "customer c-7, again"));
        assertEquals("([erased]) and [erased].", redact(EntityKind.CUSTOMER, "c-7", "(c-7) and c-7."));
        assertEquals("id=[erased]; \"[erased]\"", redact(EntityKind.CUSTOMER, "c-7", "id=c-7; \"c-7\""));
        assertEquals("[erased]", redact(EntityKind.CUSTOMER, "c-7", "c-7"));
        assertEquals("card [erased]'s owner", redact(EntityKind.CARD, "tok_9f.a", "card tok_9f.a's owner"));
        assertEquals("same as\n[erased]\tand [erased]",
            redact(EntityKind.DEVICE, "dev:1", "same as\ndev:1\tand dev:1"));
    }

    @Test
    void leavesOtherIdsAndWordsAlone() {
        final String text = "ticket 4711, c-77, C-7, xc-7 and c-7x; cc-7";
        assertSame(text, redact(EntityKind.CUSTOMER, "c-7", text));
        final String ticket = "ticket 4711";
        assertSame(ticket, redact(EntityKind.CUSTOMER, "7", ticket));
        assertEquals("c-[erased]", redact(EntityKind.CUSTOMER, "7", "c-7"), "a short id at a punctuation mark: marked");
        assertSame("", redact(EntityKind.CUSTOMER, "c-7", ""));
        assertEquals("naïve [erased] ünd", redact(EntityKind.CUSTOMER, "c-7", "naïve c-7 ünd"));
    }

    @Test
    void findsAnIpAddressInAnyOfItsSpellings() {
        assertEquals("from [erased] and [erased], not 10.0.0.10", redact(EntityKind.IP, "2001:db8::1",
            "from 2001:DB8::0001 and 2001:db8:0:0:0:0:0:1, not 10.0.0.10"));
        assertEquals("seen at [erased].", redact(EntityKind.IP, "10.0.0.1", "seen at 10.0.0.1."));
        assertEquals("a customer 2001:DB8::0001", redact(EntityKind.CUSTOMER, "2001:db8::1",
            "a customer 2001:DB8::0001"), "only an IP address is taken in its canonical form");
    }

    @Test
    void takesTheLongestTextThatIsTheIdAndIdsOfTheLongestLength() {
        final String id = "x".repeat(64);
        assertEquals("a [erased] b", redact(EntityKind.CUSTOMER, id, "a " + id + " b"));
        final String longer = id + "x";
        assertSame(longer, redact(EntityKind.CUSTOMER, id, longer));
        final String long4000 = "lorem ipsum, dolor-sit amet. ".repeat(137) + "c-7";
        assertEquals(long4000.replace("c-7", "[erased]"), redact(EntityKind.CUSTOMER, "c-7", long4000));
    }
}
