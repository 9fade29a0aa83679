package io.ecap.ops.cli;

import io.ecap.ops.service.Settings;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The settings file and data folder options of the commands that use the service settings. */
public final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "settings file (default: config/ecap.properties)")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: data.dir, ./data)")
    private Path data;

    /** The settings from the file and the environment, with {@code --data} over them. */
    Settings load() throws IOException {
        final Settings settings = Settings.load(config, System.getenv());
        if (data != null) {
            settings.set("data.dir", data.toString());
        }
        return settings;
    }
}
