package io.ecap.gateway.lists;

import io.ecap.hotpath.lists.ListChange;
import io.ecap.hotpath.lists.ListKind;
import io.ecap.hotpath.lists.ListType;
import io.ecap.model.ValidationException;
import java.util.Map;

/**
 * The lists' layout in Redis (docs/LISTS.md): one hash per list and kind, {@code ecap:lists:block:card}, from each
 * value to a JSON object {@code {reason, actor, addedAt}}; beside it a sorted set of the same values, all with score
 * 0, {@code ecap:lists:block:card:values}, through which a list is read a page at a time in value order; and one
 * stream, {@code ecap:lists:changes}, with an entry per change (fields list, kind, op = add | remove, value, reason,
 * actor, ts), written with the hash and the set in one script. The stream is the audit trail and what every engine
 * instance follows.
 */
public final class ListKeys {
    public static final String STREAM = "ecap:lists:changes";

    private ListKeys() {
    }

    /** The hash of one list and kind. */
    public static String hash(final ListType list, final ListKind kind) {
        return "ecap:lists:" + list.label() + ":" + kind.label();
    }

    /** The sorted set of one list and kind's values (score 0: ordered by value), for reading it a page at a time. */
    public static String values(final ListType list, final ListKind kind) {
        return hash(list, kind) + ":values";
    }

    /**
     * The change a stream entry holds, checked as the API checks a change (whoever wrote the entry, it is an entry
     * point); a {@link ValidationException} names the field that is wrong.
     */
    public static ListChange change(final String streamId, final Map<String, String> fields) {
        final long[] id = ListChange.parseStreamId(streamId, "id");
        final ListType list = ListType.parse(fields.get("list"), "list");
        final ListKind kind = ListKind.parse(fields.get("kind"), "kind");
        final String op = fields.get("op");
        if (!"add".equals(op) && !"remove".equals(op)) {
            throw new ValidationException("op", "expected add or remove, found '" + op + "'");
        }
        final String actor = fields.getOrDefault("actor", "");
        if (!actor.chars().allMatch(c -> c >= ' ' && c <= '~')) {
            throw new ValidationException("actor", "must be printable ASCII");
        }
        final long tsMs;
        try {
            tsMs = Long.parseLong(fields.getOrDefault("ts", ""));
        } catch (final NumberFormatException e) {
            throw new ValidationException("ts", "expected epoch milliseconds, found '" + fields.get("ts") + "'");
        }
        return new ListChange(list, kind, op.equals("add"), kind.canonical(fields.get("value"), "value"),
            fields.getOrDefault("reason", ""), actor, tsMs, id[0], id[1]);
    }
}
