package io.ecap.model.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What {@link PanMask} finds and how it masks: card numbers in every spelling, and the text around them kept. */
class PanMaskProperties {
    /** A card number: 12 to 18 random digits and the Luhn check digit that makes it valid. */
    @Provide
    Arbitrary<String> pans() {
        return Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(18).map(body -> body + checkDigit(body));
    }

    /** The same number spelled bare, in groups of four, or in groups of one to six digits. */
    @Provide
    Arbitrary<String[]> spelled() {
        return Combinators.combine(pans(), Arbitraries.of(' ', '-'), Arbitraries.integers().between(0, 2),
            Arbitraries.longs()).as((pan, separator, style, seed) -> new String[] {pan, spell(pan, separator,
                style, seed)});
    }

    /** Text that cannot join a number to a word: no letters next to it. */
    @Provide
    Arbitrary<String> around() {
        return Arbitraries.of("", " ", "card ", "pan=", "\"", "tok_", "(", "x: ", "card-", "\t");
    }

    static char checkDigit(final String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            final int d = body.charAt(body.length() - 1 - i) - '0';
            final int doubled = i % 2 == 0 ? d * 2 : d;
            sum += doubled > 9 ? doubled - 9 : doubled;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    /** Bare (style 0), in fours (1), or in random groups of one to six digits (2), as card numbers are written. */
    private static String spell(final String pan, final char separator, final int style, final long seed) {
        final StringBuilder out = new StringBuilder();
        final java.util.Random random = new java.util.Random(seed);
        int group = 0;
        for (int i = 0; i < pan.length(); i++) {
            if (i > 0 && (style == 1 && i % 4 == 0
                || style == 2 && (group == PanMask.MAX_GROUP || random.nextInt(3) == 0))) {
                out.append(separator);
                group = 0;
            }
            out.append(pan.charAt(i));
            group++;
        }
        return out.toString();
    }

    @Property(tries = 500)
    void findsAndMasksEveryCardNumberKeepingOnlyItsLastFourDigits(@ForAll("spelled") final String[] card,
        @ForAll("around") final String before, @ForAll("around") final String after) {
        final String text = before + card[1] + (after.isEmpty() ? "" : " " + after);
        assertTrue(PanMask.contains(text), text);
        final String masked = PanMask.mask(text);
        assertEquals(text.length(), masked.length(), "only digits change");
        final String digits = masked.substring(before.length(), before.length() + card[1].length())
            .replaceAll("[ -]", "");
        assertEquals("*".repeat(card[0].length() - PanMask.KEPT) + card[0].substring(card[0].length() - PanMask.KEPT),
            digits, text + " -> " + masked);
        assertEquals(text.replaceAll("[0-9]", "#"), masked.replaceAll("[0-9*]", "#"), "everything else is kept");
        assertFalse(PanMask.contains(masked), masked);
    }

    @Property(tries = 300)
    void leavesANumberThatFailsTheLuhnCheckAlone(@ForAll("pans") final String pan) {
        final char wrong = (char) ('0' + (pan.charAt(pan.length() - 1) - '0' + 1) % 10);
        final String text = "ref " + pan.substring(0, pan.length() - 1) + wrong;
        assertFalse(PanMask.contains(text), text);
        assertSame(text, PanMask.mask(text), "nothing to mask: the same string");
    }

    @Property(tries = 300)
    void leavesNumbersJoinedToLettersAlone(@ForAll("pans") final String pan) {
        assertFalse(PanMask.contains("tok" + pan));
        assertFalse(PanMask.contains(pan + "x"));
    }

    @Property(tries = 300)
    void neverFindsOneInAHexadecimalHashOrALongNumber(
        @ForAll("hex") final String hash, @ForAll("longNumbers") final String number) {
        assertFalse(PanMask.contains(hash), hash);
        assertFalse(PanMask.contains(number), number);
    }

    @Provide
    Arbitrary<String> hex() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(20).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> longNumbers() {
        return Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12),
            Arbitraries.strings().numeric().ofMinLength(20).ofMaxLength(40));
    }

    @Example
    void masksTheUsualSpellings() {
        assertEquals("**** **** **** 1111", PanMask.mask("4111 1111 1111 1111"));
        assertEquals("****-****-****-4444", PanMask.mask("5555-5555-5555-4444"));
        assertEquals("cardId: ***********0005 (refused)", PanMask.mask("cardId: 378282246310005 (refused)"));
        assertEquals("{\"cardId\":\"************1111\",\"amount\":\"12.50\"}",
            PanMask.mask("{\"cardId\":\"4111111111111111\",\"amount\":\"12.50\"}"));
        assertEquals("paid with **** **** **** 1111 12/25", PanMask.mask("paid with 4111 1111 1111 1111 12/25"),
            "the card number inside a longer run of digits (with its expiry)");
        assertEquals("two: ************1111 and ************4444",
            PanMask.mask("two: 4111111111111111 and 5555555555554444"));
        assertEquals("v2-****-****-****-1111", PanMask.mask("v2-4111-1111-1111-1111"),
            "after a word and a separator the card number starts afresh");
    }

    @Example
    void leavesOrdinaryIdentifiersAlone() {
        for (final String id : new String[] {"t-42n17", "order-1001", "tok_9f3a", "c-123456", "10.0.0.1",
            "2026-11-24T10:15:00Z", "550e8400-e29b-41d4-a716-446655440000", "9f86d081884c7d659a2feaa0c55ad015",
            "12345678-1234-4234-8234-123456789012"}) {
            assertFalse(PanMask.contains(id), id);
        }
    }

    /** A card number whose digits are written as JSON escapes is found and masked like one written plainly. */
    @Example
    void shouldSeeCardNumbersWrittenWithJsonEscapes() {
        final String escaped = "{\"cardId\":\"41111111111111\\u00311\"}";
        assertEquals("{\"cardId\":\"************1111\"}", PanMask.mask(escaped));
        assertTrue(PanMask.contains("4111\\u0020 1111 1111 1111".replace("\\u0020 ", "\\u0020")));
        final String literal = "{\"note\":\"41111111111111\\\\u00311\"}"; // a backslash, then the text u0031
        assertSame(literal, PanMask.mask(literal));
        final String noCard = "{\"name\":\"caf\\u00e9 \\u0031\"}";
        assertSame(noCard, PanMask.mask(noCard), "nothing to mask: the text as it was, escapes and all");
    }
}
