package io.ecap.lake;

import io.ecap.model.ValidationException;
import io.ecap.model.field.Reasons;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code ecap lake erase}, checked before Spark starts: exactly one entity (a kind's option and its id,
 * in canonical form) and the reason. Runs the erasure and prints what it did, never the id itself.
 */
record EraseRequest(LakeErasure.Kind kind, String id, String reason, String actor) {
    static EraseRequest of(final Map<String, String> options) {
        LakeErasure.Kind chosen = null;
        for (final LakeErasure.Kind kind : LakeErasure.Kind.values()) {
            if (options.containsKey("--" + kind.label)) {
                if (chosen != null) {
                    throw new IllegalArgumentException("--" + chosen.label + " and --" + kind.label + ": one entity "
                        + "an erasure (run it again for the next)");
                }
                chosen = kind;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("name what to erase: --customer, --card, --device, --ip or --merchant");
        }
        final String option = "--" + chosen.label;
        final String id;
        try {
            id = LakeErasure.canonical(chosen, options.get(option), option);
        } catch (final ValidationException e) {
            throw new IllegalArgumentException(option + ": " + e.problem());
        }
        final String reason;
        try {
            reason = Reasons.check(options.getOrDefault("--reason", ""), "--reason");
        } catch (final ValidationException e) {
            throw new IllegalArgumentException("--reason: " + e.problem());
        }
        final String user = System.getProperty("user.name", "unknown").replaceAll("[^!-~]", "_");
        return new EraseRequest(chosen, id, reason, "cli:" + user);
    }

    void run(final LakeErasure erasure, final long retainHours, final boolean force) throws Exception {
        final List<LakeErasure.Deleted> deleted = erasure.erase(kind, id, actor, reason, retainHours, force);
        final String who = kind.label + " " + LakeErasure.idHash(id);
        if (deleted.isEmpty()) {
            System.out.printf("erase %s: no table of the lake holds it (recorded in %s)%n", who, LakeErasure.AUDIT);
            return;
        }
        for (final LakeErasure.Deleted d : deleted) {
            System.out.printf("erase %s: %,d row%s deleted from %s%n", who, d.rows(), d.rows() == 1 ? "" : "s",
                d.table());
        }
        System.out.printf("erase %s: the tables were vacuumed %s (recorded in %s)%n", who, retainHours == 0
            ? "at once: no file holds the rows any more" : "keeping " + retainHours + " hours of versions: the files "
            + "that still hold the rows go with the first vacuum after that", LakeErasure.AUDIT);
    }
}
