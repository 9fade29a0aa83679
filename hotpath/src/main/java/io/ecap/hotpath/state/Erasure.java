package io.ecap.hotpath.state;

import io.ecap.model.ValidationException;
import io.ecap.model.field.IdHash;
import io.ecap.model.field.Ids;
import io.ecap.model.field.Reasons;
import java.nio.charset.StandardCharsets;

/**
 * A request to erase one entity (a customer, card, device, IP address or merchant) from the engine's state: its
 * record, id and features go, and the journal keeps the erasure without the id itself, only its {@link IdHash}, which
 * is what a replay needs to erase the same record at the same point (docs/RELIABILITY.md, "Erasure").
 *
 * @param kind   the entity's kind
 * @param idHash the {@link IdHash} of its id (canonical, as transactions carry it)
 * @param actor  who asked (the API key's name, or the operator's user for the command line)
 * @param reason why (a ticket number, "GDPR art. 17 request"); may be empty
 * @param tsMs   when it was asked, epoch ms (the caller's clock: the engine reads none)
 */
public record Erasure(EntityKind kind, long idHash, String actor, String reason, long tsMs) {
    /** Most characters of a reason ({@link Reasons}); at most 512 bytes of UTF-8. */
    public static final int MAX_REASON = Reasons.MAX;
    /** Most ASCII characters of an actor. */
    public static final int MAX_ACTOR = 64;

    public Erasure {
        if (kind == null) {
            throw new ValidationException("kind", "must be one of card, customer, device, ip, merchant");
        }
        if (idHash == 0) {
            throw new ValidationException("id", "has no hash (0 is no id's)");
        }
        if (actor == null || actor.isEmpty() || actor.length() > MAX_ACTOR
            || !StandardCharsets.US_ASCII.newEncoder().canEncode(actor)) {
            throw new ValidationException("actor", "must be 1 to " + MAX_ACTOR + " ASCII characters");
        }
        if (reason == null) {
            throw new ValidationException("reason", "must be given (empty for none)");
        }
        Reasons.check(reason, "reason");
    }

    /**
     * An erasure of the entity with this id: checked as transactions check it ({@code field} names it in the error),
     * an IP address put in its canonical form, then hashed.
     */
    public static Erasure of(final EntityKind kind, final String id, final String field, final String actor,
        final String reason, final long tsMs) {
        final String canonical = Ids.canonical(kind == EntityKind.IP, id, field);
        final String reasonField = field.startsWith("--") ? "--reason" : "reason";
        Reasons.checkNotNaming(reason == null ? "" : reason, reasonField, id);
        Reasons.checkNotNaming(reason == null ? "" : reason, reasonField, canonical);
        return new Erasure(kind, IdHash.of(canonical), actor, reason, tsMs);
    }

    /** The kind named by its feature prefix ({@code customer}, {@code card}, ...), or null. */
    public static EntityKind kindNamed(final String name) {
        for (final EntityKind kind : EntityKind.ALL) {
            if (kind.prefix().equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
