package io.ecap.hotpath.engine;

import io.ecap.hotpath.state.EntityKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings that change what the engine computes, so they are journaled (entry type {@code settings}) and a replay or
 * a rebuild of the state applies them at the same point as the live run. Today: how long each kind of entity is kept
 * after its last event (retention), in whole days of event time; 0 keeps it forever.
 *
 * <p>Text form, one setting a line: {@code retention-days.card=400}. A journal without a settings entry keeps every
 * entity (what engines before retention did), so older journals replay as they ran.
 */
public record EngineSettings(int[] retentionDays) {
    /**
     * Defaults: payment instruments and customers for 400 days (a yearly shopper is still known next year), devices
     * for 90, IP addresses for 30 (they change hands and come in the millions), merchants forever.
     */
    public static final EngineSettings DEFAULTS = of(Map.of(EntityKind.CARD, 400, EntityKind.CUSTOMER, 400,
        EntityKind.DEVICE, 90, EntityKind.IP, 30, EntityKind.MERCHANT, 0));
    /** What a journal without a settings entry means. */
    public static final EngineSettings KEEP_EVERYTHING = of(Map.of());
    /** Longest retention accepted: 100 years. */
    public static final int MAX_DAYS = 36_500;
    private static final String RETENTION = "retention-days.";

    public EngineSettings {
        if (retentionDays.length != EntityKind.COUNT) {
            throw new IllegalArgumentException("one retention per entity kind");
        }
        retentionDays = retentionDays.clone();
        for (final int d : retentionDays) {
            if (d < 0 || d > MAX_DAYS) {
                throw new IllegalArgumentException("retention must be 0 (forever) to " + MAX_DAYS + " days: " + d);
            }
        }
    }

    public static EngineSettings of(final Map<EntityKind, Integer> days) {
        final int[] all = new int[EntityKind.COUNT];
        days.forEach((kind, d) -> all[kind.ordinal()] = d);
        return new EngineSettings(all);
    }

    /** These settings with one kind's retention changed. */
    public EngineSettings withRetention(final EntityKind kind, final int days) {
        final int[] all = retentionDays.clone();
        all[kind.ordinal()] = days;
        return new EngineSettings(all);
    }

    public int retentionDays(final EntityKind kind) {
        return retentionDays[kind.ordinal()];
    }

    /** The journaled text. */
    public String text() {
        final StringBuilder sb = new StringBuilder();
        for (final EntityKind kind : EntityKind.ALL) {
            sb.append(RETENTION).append(kind.prefix()).append('=').append(retentionDays(kind)).append('\n');
        }
        return sb.toString();
    }

    /** Reads the journaled text; a kind not named keeps its entities forever. */
    public static EngineSettings parse(final String text) {
        final Map<EntityKind, Integer> days = new LinkedHashMap<>();
        for (final String raw : text.split("\n")) {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq < 0 || !line.startsWith(RETENTION)) {
                throw new IllegalArgumentException("unknown engine setting: " + line);
            }
            final String name = line.substring(RETENTION.length(), eq);
            final EntityKind kind = Arrays.stream(EntityKind.ALL).filter(k -> k.prefix().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown entity kind in " + line));
            try {
                days.put(kind, Integer.parseInt(line.substring(eq + 1).strip()));
            } catch (final NumberFormatException e) {
                throw new IllegalArgumentException("not a number of days: " + line, e);
            }
        }
        return of(days);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof EngineSettings other && Arrays.equals(retentionDays, other.retentionDays);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(retentionDays);
    }

    @Override
    public String toString() {
        return text().strip().replace('\n', ' ');
    }
}
