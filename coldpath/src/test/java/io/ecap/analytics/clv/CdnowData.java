package io.ecap.analytics.clv;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the CDNOW sample: in the test resources ({@code coldpath/src/test/resources/cdnow}, with its
 * licence notice), or in the folder named by the environment variable {@code ECAP_CDNOW} (to try another copy).
 * Spark reads files by path, so a resource is handed out as the file it is in {@code target/test-classes}.
 */
public final class CdnowData {
    private static final String RESOURCES = "/cdnow/";

    private CdnowData() {
    }

    public static Path file(final String name) {
        final String configured = System.getenv("ECAP_CDNOW");
        if (configured != null && !configured.isBlank()) {
            final Path file = Path.of(configured).resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("ECAP_CDNOW names " + configured + ", which has no " + name);
            }
            return file;
        }
        final URL resource = CdnowData.class.getResource(RESOURCES + name);
        if (resource == null) {
            throw new IllegalStateException("the CDNOW sample " + name + " is missing from the test resources ("
                + "coldpath/src/test/resources" + RESOURCES + ")");
        }
        try {
            return Path.of(resource.toURI());
        } catch (final URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("the CDNOW sample " + name + " is not a plain file: " + resource, e);
        }
    }
}
