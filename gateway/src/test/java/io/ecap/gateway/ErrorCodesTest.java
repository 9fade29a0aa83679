package io.ecap.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every error code the gateway can answer with is in the error table of docs/API.md, and nothing else is. */
class ErrorCodesTest {
    private static final Path ROOT = Path.of(System.getProperty("ecap.root"));
    private static final Pattern FAIL = Pattern.compile("(?:fail|unavailable)\\(\\w+, (?:\\d+, )?\"([a-z_]+)\"");
    private static final Pattern ERROR = Pattern.compile("[Rr]eplies\\.error\\(([^,]+),|\\berror\\(([^,]+),");
    private static final Pattern LITERAL = Pattern.compile("\"([a-z]+(?:_[a-z]+)*)\"");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| \\d{3} ([^|]+)\\|");
    private static final Pattern CODE = Pattern.compile("`([a-z_]+)`");

    @Test
    void shouldDocumentEveryErrorCodeTheGatewayAnswers() throws IOException {
        final Set<String> answered = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(ROOT.resolve("gateway/src/main/java"))) {
            for (final Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                final String text = Files.readString(source);
                final Matcher fail = FAIL.matcher(text);
                while (fail.find()) {
                    answered.add(fail.group(1));
                }
                final Matcher error = ERROR.matcher(text);
                while (error.find()) {
                    final Matcher literal = LITERAL.matcher(error.group(1) != null ? error.group(1) : error.group(2));
                    while (literal.find()) {
                        answered.add(literal.group(1));
                    }
                }
            }
        }
        assertTrue(answered.size() > 10, "found " + answered);
        final Set<String> documented = new TreeSet<>();
        final Matcher row = TABLE_ROW.matcher(Files.readString(ROOT.resolve("docs/API.md")));
        while (row.find()) {
            final Matcher code = CODE.matcher(row.group(1));
            while (code.find()) {
                documented.add(code.group(1));
            }
        }
        assertEquals(answered, documented, "the error table of docs/API.md against the codes in the gateway");
    }
}
