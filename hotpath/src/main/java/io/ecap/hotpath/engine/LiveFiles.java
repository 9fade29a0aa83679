package io.ecap.hotpath.engine;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the rule file and the model file an engine is to put live at start, before anything is created for it (a
 * journal, a state folder): what is wrong with one, naming the line, or null.
 */
public final class LiveFiles {
    private LiveFiles() {
    }

    /** What is wrong with the rule file, or null (also for none). */
    public static String rulesProblem(final Path file) {
        if (file == null) {
            return null;
        }
        try {
            RuleParser.parse(Files.readString(file, StandardCharsets.UTF_8));
            return null;
        } catch (final RuleSetException e) {
            return e.getMessage();
        } catch (final IOException | RuntimeException e) {
            return "cannot be read as UTF-8 text: " + e.getMessage();
        }
    }

    /** What is wrong with the model file, or null (also for none). */
    public static String modelProblem(final Path file) {
        if (file == null) {
            return null;
        }
        try {
            ModelParser.parse(Files.readString(file, StandardCharsets.UTF_8), FeatureCatalog.forModels());
            return null;
        } catch (final ModelException e) {
            return e.getMessage();
        } catch (final IOException | RuntimeException e) {
            return "cannot be read as UTF-8 text: " + e.getMessage();
        }
    }
}
