package io.ecap.analytics.clv;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the CDNOW sample: {@code ../shared/data/cdnow} beside the repository (not copied into it),
 * or the folder named by the environment variable {@code ECAP_CDNOW}.
 */
public final class CdnowData {
    private CdnowData() {
    }

    public static Path file(final String name) {
        final String configured = System.getenv("ECAP_CDNOW");
        final Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
            : Path.of(System.getProperty("ecap.root"), "..", "shared", "data", "cdnow").normalize();
        final Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the CDNOW sample is not at " + file + ": put ../shared/data/cdnow "
                + "beside the repository or name its folder in ECAP_CDNOW");
        }
        return file;
    }
}
