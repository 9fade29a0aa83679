package io.ecap.gateway.cases;

import io.ecap.gateway.http.StringBodies;
import io.ecap.model.ValidationException;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/** The bodies of the case changes ({@link StringBodies}: one object of string fields, the required ones present). */
final class CaseBodies {
    private CaseBodies() {
    }

    /** {@code {"assignee": "..."}}. */
    static String assignee(final DirectBuffer body, final int length) {
        final Map<String, String> fields = StringBodies.read(body, length, List.of("assignee"));
        return CaseText.check(StringBodies.required(fields, "assignee"), CaseText.MAX_ASSIGNEE, "assignee");
    }

    /** {@code {"text": "..."}}. */
    static String comment(final DirectBuffer body, final int length) {
        final Map<String, String> fields = StringBodies.read(body, length, List.of("text"));
        return CaseText.check(StringBodies.required(fields, "text"), CaseText.MAX_TEXT, "text");
    }

    /** {@code {"resolution": "FRAUD" | "LEGITIMATE", "note": "..."}} (the note may be left out). */
    record Resolution(String resolution, String note) {
        /** The case's status once resolved so. */
        String status() {
            return resolution.equals("FRAUD") ? "CONFIRMED_FRAUD" : "LEGITIMATE";
        }

        /** The label journaled for the transaction. */
        String label() {
            return resolution.equals("FRAUD") ? "FRAUD" : "LEGIT";
        }
    }

    static Resolution resolution(final DirectBuffer body, final int length) {
        final Map<String, String> fields = StringBodies.read(body, length, List.of("resolution", "note"));
        final String resolution = StringBodies.required(fields, "resolution");
        if (!resolution.equals("FRAUD") && !resolution.equals("LEGITIMATE")) {
            throw new ValidationException("resolution", "expected FRAUD or LEGITIMATE, found '"
                + CaseFilter.shown(resolution) + "'");
        }
        final String note = fields.get("note");
        return new Resolution(resolution, note == null ? null : CaseText.check(note, CaseText.MAX_TEXT, "note"));
    }
}
