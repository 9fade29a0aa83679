package io.ecap.hotpath.fuzz;

import io.ecap.testing.fuzz.Corpus;
import io.ecap.testing.fuzz.FuzzProfile;
import io.ecap.testing.fuzz.Mutations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the rule parser ({@link ParserOracle#rules}) with mutated real rule files (the bundled default set and the
 * corpus), deep nesting, and random text. Tries scale with {@link FuzzProfile}.
 */
@AddLifecycleHook(FuzzProfile.class)
class RuleFileFuzzProperties {
    private static final ParserOracle ORACLE = new ParserOracle();
    private static final List<String> PALETTE = List.of("(", ")", "not ", "-", "and", " or ", "\"", "#", "\n", "\n    ",
        "\t", "\r", "==", "<=", ",", "99999999999", "1e308", "1.2.3", "0", "NaN", "abs(", "min(", "present(", "é",
        "\u0000", "\uFEFF", "rule X weight 1\n    when ", "reason \"", " value ", " action DECLINE", "when ",
        "ruleset r version 1\n", "thresholds review 1 decline 0\n", "txn.country == \"DE\"", "card.count_1h");

    @AfterContainer
    static void close() {
        ORACLE.close();
    }

    @Provide
    Arbitrary<String> mutatedRuleFiles() throws IOException {
        final List<String> seeds = new ArrayList<>();
        try (InputStream in = RuleFileFuzzProperties.class
            .getResourceAsStream("/io/ecap/hotpath/rules/default.rules")) {
            seeds.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Corpus.files(getClass(), "/fuzz/rules").forEach(f -> seeds.add(new String(Corpus.bytes(f),
            StandardCharsets.UTF_8)));
        return Mutations.ofText(seeds, PALETTE);
    }

    @Provide
    Arbitrary<String> deepExpressions() {
        final Arbitrary<String> open = Arbitraries.of("(", "not ", "- ", "abs(", "min(1, ", "not (", "-(");
        return open.flatMap(o -> Arbitraries.integers().between(1, 20_000).map(n -> {
            final String close = o.endsWith("(") ? ")" : "";
            return "ruleset deep version 1\nthresholds review 1 decline 2\nrule DEEP weight 1\n    when "
                + o.repeat(n) + "card.count_1h" + close.repeat(n) + " > 1\n";
        }));
    }

    @Provide
    Arbitrary<String> randomText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(400),
            Arbitraries.of(PALETTE).list().ofMaxSize(80).map(l -> String.join(" ", l)));
    }

    @Property(tries = 1500)
    void mutatedRuleFilesGetARuleSetOrTheirProblems(@ForAll("mutatedRuleFiles") final String text)
        throws Exception {
        ORACLE.rules(text);
    }

    @Property(tries = 60)
    void deepExpressionsGetARuleSetOrTheirProblems(@ForAll("deepExpressions") final String text) throws Exception {
        ORACLE.rules(text);
    }

    @Property(tries = 500)
    void randomTextGetsARuleSetOrItsProblems(@ForAll("randomText") final String text) throws Exception {
        ORACLE.rules(text);
    }
}
