package io.ecap.model.json;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers: JSON text to buffers. */
final class Json {
    private Json() {
    }

    static UnsafeBuffer utf8(final String json) {
        return new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
    }
}
