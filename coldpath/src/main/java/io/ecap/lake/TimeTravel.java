package io.ecap.lake;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Which version of a table to read: the current one, a version ({@code --version N}) or the version current at a
 * UTC time ({@code --timestamp 2026-11-24} or {@code --timestamp "2026-11-24 10:15:00"}). Table time travel is named
 * apart from the analysis day of the analytics jobs ({@code --as-of}).
 *
 * @param version the version asked for, or null
 * @param time the time asked for (UTC), or null
 * @param text the time as given, for messages
 */
record TimeTravel(Long version, LocalDateTime time, String text) {
    static final TimeTravel NOW = new TimeTravel(null, null, null);

    static TimeTravel of(final Map<String, String> options) {
        final String version = options.get("--version");
        final String time = options.get("--timestamp");
        if (version != null && time != null) {
            throw new IllegalArgumentException("--version and --timestamp: give one of them, not both");
        }
        if (version != null) {
            return new TimeTravel(LakeMain.number(options, "--version", 0, 0), null, null);
        }
        return time == null ? NOW : new TimeTravel(null, parse(time), time);
    }

    /** {@code 2026-11-24}, {@code 2026-11-24 10:15} or {@code 2026-11-24 10:15:00}; T may replace the space. */
    static LocalDateTime parse(final String time) {
        try {
            if (time.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(time).atStartOfDay();
            }
            if (time.matches("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}(:\\d{2})?")) {
                return LocalDateTime.parse(time.replace(' ', 'T'));
            }
        } catch (final DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("--timestamp: expected a UTC time like 2026-11-24 or 2026-11-24 10:15:00,"
            + " found '" + time + "'");
    }

    /** The time as Delta's {@code timestampAsOf} reads it in a UTC session. */
    String sparkTime() {
        return time.toString().replace('T', ' ');
    }

    long epochMillis() {
        return time.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** For the first line of {@code show}: empty when current. */
    String describe() {
        return version != null ? " at version " + version : time != null ? " at " + text + " UTC" : "";
    }
}
