package io.ecap.hotpath.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ecap.testing.fuzz.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the corpus kept in the repository ({@code src/test/resources/fuzz/rules} and {@code .../models}) on every
 * run: each file through {@link ParserOracle}, and a file whose name starts with {@code valid-} must be accepted,
 * any other must be refused.
 */
class ParserCorpusTest {
    private static final ParserOracle ORACLE = new ParserOracle();

    @AfterAll
    static void close() {
        ORACLE.close();
    }

    static Stream<Path> ruleFiles() {
        return Corpus.files(ParserCorpusTest.class, "/fuzz/rules").stream();
    }

    static Stream<Path> modelFiles() {
        return Corpus.files(ParserCorpusTest.class, "/fuzz/models").stream();
    }

    @ParameterizedTest
    @MethodSource("ruleFiles")
    void shouldAnswerEveryRuleFileOfTheCorpus(final Path file) throws Exception {
        final String problems = ORACLE.rules(text(file));
        assertEquals(isValid(file), problems == null, file.getFileName() + ": " + problems);
    }

    @ParameterizedTest
    @MethodSource("modelFiles")
    void shouldAnswerEveryModelFileOfTheCorpus(final Path file) throws Exception {
        final String problem = ORACLE.model(text(file));
        assertEquals(isValid(file), problem == null, file.getFileName() + ": " + problem);
    }

    private static boolean isValid(final Path file) {
        return file.getFileName().toString().startsWith("valid-");
    }

    private static String text(final Path file) {
        return new String(Corpus.bytes(file), StandardCharsets.UTF_8);
    }
}
