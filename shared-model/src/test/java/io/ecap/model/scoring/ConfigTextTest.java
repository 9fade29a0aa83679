package io.ecap.model.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule set or model file: read whole when it is UTF-8 text of at most 16 MiB, refused by its size otherwise. */
class ConfigTextTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadUtf8TextUpToTheLimit() throws IOException {
        final Path file = Files.writeString(dir.resolve("m.model"), "ecap-model 1\n# é\n", StandardCharsets.UTF_8);
        assertEquals("ecap-model 1\n# é\n", ConfigText.read(file));
    }

    @Test
    void shouldRefuseALargerFileBeforeReadingIt() throws IOException {
        final Path file = dir.resolve("big.model");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.setLength(100L << 20); // sparse: nothing to read if it were read
        }
        final IOException e = assertThrows(IOException.class, () -> ConfigText.read(file));
        assertEquals("too large (100.0 MiB): a rule set or model file takes at most 16 MiB (the journal keeps its "
            + "whole text)", e.getMessage());
    }

    @Test
    void shouldTakeTheSameFileSavedByAnotherEditorAsTheSame() {
        final String text = "ecap-model 1\nname m\n";
        assertTrue(ConfigText.same(text, "\uFEFF" + text.replace("\n", "\r\n")));
        assertTrue(ConfigText.same(text, text.strip() + "  "), "no final line end, spaces after the last line");
        assertTrue(!ConfigText.same(text, text.replace("m\n", "n\n")));
    }

    @Test
    void shouldNameWhatIsNotText() throws IOException {
        final Path binary = Files.write(dir.resolve("b.model"), new byte[] {(byte) 0xC3, (byte) 0x28});
        assertEquals("not UTF-8 text", assertThrows(IOException.class, () -> ConfigText.read(binary)).getMessage());
        assertEquals("no such file", assertThrows(IOException.class, () -> ConfigText.read(dir.resolve("none")))
            .getMessage());
        assertTrue(assertThrows(IOException.class, () -> ConfigText.read(dir)).getMessage().contains("regular"));
    }
}
