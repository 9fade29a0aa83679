package io.ecap.ops.cli;

import io.ecap.ops.generate.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generator's ground truth of fraud ({@code ecap generate --truth FILE}): JSON lines
 * {@code {"txnId":"...","scenario":"..."}}, one per fraudulent transaction. Read by {@code ecap score} and
 * {@code ecap backtest}.
 */
final class TruthFile {
    private static final Pattern LINE = Pattern.compile(
        "\"txnId\"\\s*:\\s*\"([^\"]+)\".*\"scenario\"\\s*:\\s*\"([A-Z_]+)\"");

    private TruthFile() {
    }

    /** The fraudulent txnIds and their scenarios; a line that is not one names its number and the problem. */
    static Map<String, Scenario> read(final Path file) throws IOException {
        final Map<String, Scenario> truth = new HashMap<>();
        long lineNo = 0;
        final java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (final java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
        for (final String line : lines) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            final Matcher m = LINE.matcher(line);
            if (!m.find()) {
                throw new IllegalArgumentException(file + " line " + lineNo
                    + ": expected {\"txnId\":\"...\",\"scenario\":\"...\"}");
            }
            final Scenario scenario;
            try {
                scenario = Scenario.valueOf(m.group(2));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": unknown scenario " + m.group(2));
            }
            final Scenario before = truth.put(m.group(1), scenario);
            if (before != null && before != scenario) {
                throw new IllegalArgumentException(file + " line " + lineNo + ": " + m.group(1) + " is named again, "
                    + "with scenario " + scenario + " after " + before + ": which is it?");
            }
        }
        return truth;
    }
}
