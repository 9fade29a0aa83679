package io.ecap.hotpath.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The rule set that ships with ECAP ({@code default.rules} on the classpath). */
public final class DefaultRules {
    private static final String RESOURCE = "default.rules";

    private DefaultRules() {
    }

    public static String text() {
        try (InputStream in = DefaultRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled rule set " + RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RuleSet ruleSet() {
        try {
            return RuleParser.parse(text());
        } catch (final RuleSetException e) {
            throw new IllegalStateException("bundled rule set is invalid:\n" + e.getMessage(), e);
        }
    }
}
