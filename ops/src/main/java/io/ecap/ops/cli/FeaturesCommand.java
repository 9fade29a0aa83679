package io.ecap.ops.cli;

import io.ecap.hotpath.features.FeatureCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the features rules and models can use. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "List the features the engine computes for every transaction (names for rule and model files).")
public final class FeaturesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (int i = 0; i < FeatureCatalog.size(); i++) {
            System.out.printf("%-34s %s%n", FeatureCatalog.name(i), FeatureCatalog.description(i));
        }
        return 0;
    }
}
