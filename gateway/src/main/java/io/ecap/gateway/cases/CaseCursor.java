package io.ecap.gateway.cases;

import io.ecap.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque paging cursor of {@code GET /v1/cases}: the journal index of the last case of a page, so that the next
 * page is a keyset read ({@code journal_index < cursor}, newest first) that neither skips nor repeats a case when new
 * cases arrive between pages, and costs the same on page 1 and page 1000 (no OFFSET). Written as base64url of
 * {@code c1:<index>}; the version prefix lets the form change without misreading old cursors. Clients must not build
 * one: its form is not part of the API.
 */
final class CaseCursor {
    private static final String PREFIX = "c1:";

    private CaseCursor() {
    }

    static String encode(final long journalIndex) {
        return Base64.getUrlEncoder().withoutPadding()
            .encodeToString((PREFIX + journalIndex).getBytes(StandardCharsets.US_ASCII));
    }

    /** The journal index a cursor stands for; a cursor this service did not write is refused naming {@code cursor}. */
    static long decode(final String cursor) {
        final String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (final IllegalArgumentException e) {
            throw bad();
        }
        if (!text.startsWith(PREFIX) || !text.substring(PREFIX.length()).matches("[1-9][0-9]{0,18}")) {
            throw bad();
        }
        try {
            return Long.parseLong(text.substring(PREFIX.length()));
        } catch (final NumberFormatException e) {
            throw bad();
        }
    }

    private static ValidationException bad() {
        return new ValidationException("cursor", "is not a cursor of this API (pass the nextCursor of the previous "
            + "page as it was given)");
    }
}
