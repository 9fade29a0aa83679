package io.ecap.hotpath.engine;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.rules.RuleParser;
import io.ecap.hotpath.rules.RuleSetException;
import io.ecap.model.scoring.ConfigText;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import java.io.IOException;
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
            RuleParser.parse(ConfigText.read(file));
            return null;
        } catch (final RuleSetException e) {
            return e.getMessage();
        } catch (final IOException e) {
            return e.getMessage();
        } catch (final RuntimeException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** What is wrong with the model file, or null (also for none). */
    public static String modelProblem(final Path file) {
        if (file == null) {
            return null;
        }
        try {
            ModelParser.parse(ConfigText.read(file), FeatureCatalog.forModels());
            return null;
        } catch (final ModelException e) {
            return e.getMessage();
        } catch (final IOException e) {
            return e.getMessage();
        } catch (final RuntimeException e) {
            return "cannot be read: " + e.getMessage();
        }
    }
}
