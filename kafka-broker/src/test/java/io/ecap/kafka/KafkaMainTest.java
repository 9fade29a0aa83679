package io.ecap.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ecap kafka} refuses a bad port, naming the option and the value, before it makes anything. */
class KafkaMainTest {
    @TempDir
    Path dir;

    @Test
    void refusesAPortOutOfRangeNamingIt() {
        assertRefused("ecap kafka: --port: expected 0 (a free port) to 65535, found 70000", "--port", "70000");
        assertRefused("ecap kafka: --controller-port: expected 0 (a free port) to 65535, found -1",
            "--controller-port", "-1");
    }

    private void assertRefused(final String expected, final String... options) {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        final int code;
        try {
            final String[] args = new String[options.length + 2];
            args[0] = "--data";
            args[1] = dir.resolve("data").toString();
            System.arraycopy(options, 0, args, 2, options.length);
            code = KafkaMain.run(args);
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        assertEquals(expected, captured.toString(StandardCharsets.UTF_8).strip());
        assertTrue(!Files.exists(dir.resolve("data")), "nothing made");
    }
}
