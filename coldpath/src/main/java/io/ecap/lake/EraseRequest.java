package io.ecap.lake;

import io.ecap.model.ValidationException;
import io.ecap.model.field.Reasons;
import java.util.List;
import java.util.Map;

/**
 * The options of {@code ecap lake erase}, checked before Spark starts: exactly one entity (a kind's option and its id,
 * in canonical form) and the reason, or {@code --journaled} (kind null: the engine's journaled erasures, each with its
 * own reason). Runs the erasure and prints what it did, never the id itself.
 */
record EraseRequest(LakeErasure.Kind kind, String id, String reason, String actor) {
    static EraseRequest of(final Map<String, String> options) {
        if (options.containsKey("--journaled")) {
            for (final String other : List.of("--customer", "--card", "--device", "--ip", "--merchant", "--reason")) {
                if (options.containsKey(other)) {
                    throw new IllegalArgumentException("--journaled and " + other + ": --journaled takes the erasures "
                        + "the engine journaled, each with its own entity and reason");
                }
            }
            return new EraseRequest(null, null, null, null);
        }
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
            throw new IllegalArgumentException("name what to erase: --customer, --card, --device, --ip, --merchant or "
                + "--journaled");
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
            reason = Reasons.checkNotNaming(options.getOrDefault("--reason", ""), "--reason", options.get(option));
            Reasons.checkNotNaming(reason, "--reason", id);
        } catch (final ValidationException e) {
            throw new IllegalArgumentException("--reason: " + e.problem());
        }
        final String user = System.getProperty("user.name", "unknown").replaceAll("[^!-~]", "_");
        return new EraseRequest(chosen, id, reason, "cli:" + user);
    }

    void run(final LakeErasure erasure, final long retainHours, final boolean force) throws Exception {
        if (kind == null) {
            runJournaled(erasure, retainHours, force);
            return;
        }
        final List<LakeErasure.Deleted> deleted = erasure.erase(kind, id, actor, reason, retainHours, force);
        final String who = kind.label + " " + LakeErasure.idHash(id);
        if (deleted.isEmpty()) {
            System.out.printf("erase %s: no table of the lake holds it (recorded in %s)%n", who, LakeErasure.AUDIT);
            return;
        }
        printDeleted(who, deleted);
        System.out.printf("erase %s: the tables were vacuumed %s (recorded in %s)%n", who, vacuumed(retainHours),
            LakeErasure.AUDIT);
    }

    private static void runJournaled(final LakeErasure erasure, final long retainHours, final boolean force)
        throws Exception {
        final List<LakeErasure.Journaled> done = erasure.eraseJournaled(retainHours, force);
        if (done.isEmpty()) {
            System.out.println("erase --journaled: no erasure journaled that the lake has not taken yet "
                + "(bronze/erasures against " + LakeErasure.AUDIT + ")");
            return;
        }
        for (final LakeErasure.Journaled j : done) {
            final String who = j.kind().label + " " + j.idHash() + " (journal index " + j.journalIndex() + ")";
            if (j.deleted().isEmpty()) {
                System.out.printf("erase %s: no table of the lake holds it%n", who);
            }
            printDeleted(who, j.deleted());
        }
        System.out.printf("erase --journaled: %,d erasure%s taken; the tables changed were vacuumed %s (recorded in "
            + "%s)%n", done.size(), done.size() == 1 ? "" : "s", vacuumed(retainHours), LakeErasure.AUDIT);
    }

    private static void printDeleted(final String who, final List<LakeErasure.Deleted> deleted) {
        for (final LakeErasure.Deleted d : deleted) {
            System.out.printf("erase %s: %,d row%s deleted from %s%n", who, d.rows(), d.rows() == 1 ? "" : "s",
                d.table());
        }
    }

    private static String vacuumed(final long retainHours) {
        return retainHours == 0 ? "at once: no file holds the rows any more" : "keeping " + retainHours + " hours of "
            + "versions: the files that still hold the rows go with the first vacuum after that";
    }
}
