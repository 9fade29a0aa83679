package io.ecap.hotpath.fuzz;

import io.ecap.testing.fuzz.Corpus;
import io.ecap.testing.fuzz.FuzzProfile;
import io.ecap.testing.fuzz.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes the model parser ({@link ParserOracle#model}) with mutated real model files (the corpus: logistic and tree
 * models) and random text. Tries scale with {@link FuzzProfile}.
 */
@AddLifecycleHook(FuzzProfile.class)
class ModelFileFuzzProperties {
    private static final ParserOracle ORACLE = new ParserOracle();
    private static final List<String> PALETTE = List.of("\n", " ", "#", "\t", "\r", "-", "0", "1", "-1", "1e308",
        "1e309", "NaN", "Infinity", "0x1p3", "2147483648", "-2147483649", "99999999", "node 0 leaf 1\n",
        "node 1 split 0 1 1 2 yes\n", "tree 1 nodes 1000000\n", "tree 0 nodes 1\n", "yes", "no", "leaf", "split",
        "weights", "missing 1\n", "features txn.amount_usd\n", "é", "\u0000", "\uFEFF", "type gbt\n",
        "type logistic\n");

    @AfterContainer
    static void close() {
        ORACLE.close();
    }

    @Provide
    Arbitrary<String> mutatedModelFiles() {
        final List<String> seeds = Corpus.files(getClass(), "/fuzz/models").stream()
            .map(f -> new String(Corpus.bytes(f), StandardCharsets.UTF_8)).toList();
        return Mutations.ofText(seeds, PALETTE);
    }

    @Provide
    Arbitrary<String> randomText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(400),
            Arbitraries.of(PALETTE).list().ofMaxSize(60).map(l -> "ecap-model 1\n" + String.join(" ", l)));
    }

    @Property(tries = 1500)
    void mutatedModelFilesGetAModelOrTheirProblem(@ForAll("mutatedModelFiles") final String text) throws Exception {
        ORACLE.model(text);
    }

    @Property(tries = 500)
    void randomTextGetsAModelOrItsProblem(@ForAll("randomText") final String text) throws Exception {
        ORACLE.model(text);
    }
}
