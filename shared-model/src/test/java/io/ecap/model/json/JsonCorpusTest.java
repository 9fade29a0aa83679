package io.ecap.model.json;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.testing.fuzz.Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the JSON corpus kept in the repository ({@code src/test/resources/fuzz/json}: real documents, and inputs
 * that found defects or cover tricky cases) through {@link JsonOracle} on every run. A file named {@code valid-*}
 * must be accepted by at least one reader.
 */
class JsonCorpusTest {
    private static final JsonOracle ORACLE = new JsonOracle();

    @AfterAll
    static void close() {
        ORACLE.close();
    }

    static Stream<Path> corpus() {
        return Corpus.files(JsonCorpusTest.class, "/fuzz/json").stream();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void shouldAnswerEveryDocumentOfTheCorpus(final Path file) throws Exception {
        final List<String> answers = ORACLE.check(Corpus.bytes(file));
        if (file.getFileName().toString().startsWith("valid-")) {
            assertTrue(answers.stream().anyMatch(a -> a.contains(": accepted")), file.getFileName() + ": " + answers);
        }
    }
}
