package io.ecap.hotpath.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.model.scoring.Model;
import io.ecap.model.scoring.ModelException;
import io.ecap.model.scoring.ModelParser;
import io.ecap.model.scoring.TreeEnsembleModel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Model evaluation against values computed by hand, and every kind of bad model file. */
class ModelParserTest {
    private static final String LOGISTIC = "ecap-model 1\nname lr\nversion 3\ntype logistic\n"
        + "features txn.amount_usd card.count_1h device.count_1h\n"
        + "intercept -2\nweights 0.01 0.5 1.5\nmissing 0 0 2\n";
    private static final String TREES = "ecap-model 1\nname gbt\nversion 7\ntype gbt\n"
        + "features txn.amount_usd card.count_1h\n"
        + "base_score -1.5\n"
        + "tree 0 nodes 5\n"
        + "node 0 split 0 100 1 2 no    # amount < 100 ?\n"
        + "node 1 leaf -0.5\n"
        + "node 2 split 1 3 3 4 yes     # count < 3 ?\n"
        + "node 3 leaf 0.25\n"
        + "node 4 leaf 1.75\n"
        + "tree 1 nodes 1\n"
        + "node 0 leaf 0.5\n";

    private final double[] features = new double[FeatureCatalog.size()];

    private void set(final String feature, final double value) {
        features[FeatureCatalog.indexOf(feature)] = value;
    }

    private static double sigmoid(final double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void shouldEvaluateLogisticRegression() throws ModelException {
        final Model model = ModelParser.parse(LOGISTIC, FeatureCatalog.forModels());
        assertEquals("lr@3", model.label());
        set("txn.amount_usd", 200);
        set("card.count_1h", 2);
        set("device.count_1h", Double.NaN);
        // z = -2 + 0.01*200 + 0.5*2 + 1.5*2 (missing -> 2) = 4
        assertEquals(sigmoid(4), model.probability(features), 1e-15);
        set("device.count_1h", 0);
        assertEquals(sigmoid(1), model.probability(features), 1e-15);
    }

    /** Inputs held within the bounds the trainer saw: a count far beyond them adds no more than the largest one. */
    @Test
    void shouldHoldEachInputWithinItsBounds() throws ModelException {
        final Model model = ModelParser.parse(LOGISTIC + "upper 1000 10 inf\nlower -inf 1 -5\n",
            FeatureCatalog.forModels());
        set("txn.amount_usd", 200);
        set("card.count_1h", 3000); // 300 times the most the model was trained on
        set("device.count_1h", Double.NaN);
        // z = -2 + 0.01*200 + 0.5*10 (held at its upper bound) + 1.5*2 (missing -> 2, within the bounds) = 8
        assertEquals(sigmoid(8), model.probability(features), 1e-15);
        set("card.count_1h", 0);
        set("device.count_1h", -40);
        // z = -2 + 2 + 0.5*1 (raised to its lower bound) + 1.5*(-5) = -7
        assertEquals(sigmoid(-7), model.probability(features), 1e-15);
        set("txn.amount_usd", 1e12);
        assertEquals(sigmoid(-2 + 10 + 0.5 - 7.5), model.probability(features), 1e-15);
        // without bounds, as before: unbounded
        assertEquals(sigmoid(-2 + 1e10 + 0.5 * 0 + 1.5 * -40), ModelParser.parse(LOGISTIC, FeatureCatalog.forModels())
            .probability(features), 1e-15);
    }

    /**
     * A model an earlier version accepted and journaled is read as it was, so a replay or a recovery of that journal
     * scores as the engine did: a header with more after it, '@' in a version, Java's other number forms, an infinite
     * bound on the wrong side. New files get the stricter rules.
     */
    @Test
    void shouldReadAJournaledModelAsTheVersionThatJournaledItDid() throws ModelException {
        final String old = "ecap-model 1 junk\nname lr\nversion 3@x\ntype logistic\n"
            + "features txn.amount_usd card.count_1h device.count_1h\nintercept -2\nweights 0.01 5e-1f 0x1.8p0\n"
            + "missing 0 0 2\nlower -inf -inf inf\n";
        rejects(old, "line 1: 'ecap-model' takes exactly one value");
        final Model model = ModelParser.parseJournaled(old, FeatureCatalog.forModels());
        assertEquals("lr@3@x", model.label());
        set("txn.amount_usd", 200);
        set("card.count_1h", 2);
        set("device.count_1h", 1);
        // the third input held at its lower bound, +inf, as an earlier version evaluated it: certain fraud
        assertEquals(1.0, model.probability(features), 0.0);
    }

    @Test
    void shouldReadAFileThatStartsWithAByteOrderMark() throws ModelException {
        assertEquals("lr@3", ModelParser.parse("\uFEFF" + LOGISTIC, FeatureCatalog.forModels()).label());
    }

    @Test
    void shouldEvaluateGradientBoostedTrees() throws ModelException {
        final TreeEnsembleModel model = (TreeEnsembleModel) ModelParser.parse(TREES, FeatureCatalog.forModels());
        assertEquals(2, model.trees());
        set("txn.amount_usd", 50);
        set("card.count_1h", 9);
        assertEquals(-1.5 - 0.5 + 0.5, model.margin(features), 1e-15);
        set("txn.amount_usd", 150);
        set("card.count_1h", 2);
        assertEquals(-1.5 + 0.25 + 0.5, model.margin(features), 1e-15);
        set("card.count_1h", 3);
        assertEquals(-1.5 + 1.75 + 0.5, model.margin(features), 1e-15);
        set("card.count_1h", Double.NaN);
        assertEquals(-1.5 + 0.25 + 0.5, model.margin(features), 1e-15, "missing count goes to 'yes'");
        set("txn.amount_usd", Double.NaN);
        assertEquals(-1.5 + 0.25 + 0.5, model.margin(features), 1e-15, "missing amount goes to 'no', then 'yes'");
        assertEquals(sigmoid(-0.75), model.probability(features), 1e-15);
        assertEquals(3, model.leaf(0, features), "the leaf's id within its tree, as in the file");
        assertEquals(0, model.leaf(1, features), "a tree of one leaf");
        set("txn.amount_usd", 50);
        assertEquals(1, model.leaf(0, features));
    }

    @Test
    void shouldResolveFeaturesThroughTheNamesGiven() throws ModelException {
        final List<String> trained = List.of("card.count_1h", "txn.amount_usd");
        final Model model = ModelParser.parse("ecap-model 1\nname lr\nversion 3\ntype logistic\n"
            + "features card.count_1h txn.amount_usd\nintercept -2\nweights 0.01 0.5\n", trained::indexOf);
        // positions in the cold path's own vector, not the engine's
        assertEquals(sigmoid(-2 + 0.01 * 4 + 0.5 * 100), model.probability(new double[] {4, 100}), 1e-15);
        final ModelException e = assertThrows(ModelException.class, () -> ModelParser.parse(LOGISTIC,
            trained::indexOf));
        assertTrue(e.getMessage().startsWith("line 5: unknown feature 'device.count_1h'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name x|line 1: not an ECAP model file",
        "ecap-model 2|line 1: unsupported format version",
        "ecap-model 1\\nname x|line 2: expected 'version ...' before the end",
        "ecap-model 1\\nname x\\nversion 1\\ntype svm\\nfeatures txn.amount_usd|line 4: type must be logistic or gbt",
        "ecap-model 1\\nname x\\nversion 1\\ntype Logistic|line 4: type must be logistic or gbt, found 'Logistic'",
        "ecap-model 1 junk|line 1: 'ecap-model' takes exactly one value",
        "ecap-model 1\\nname bad!\\nversion 1|line 2: name is letters, digits, '.', '_' or '-', found 'bad!'",
        "ecap-model 1\\nname a@b\\nversion 1|line 2: name is letters, digits",
        "ecap-model 1\\nname a\\nversion 1@evil|line 3: version is letters, digits",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 0x1p3|"
            + "line 6: '0x1p3' is not a finite number",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 5000f|"
            + "line 7: '5000f' is not a finite number",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "lower inf|line 8: 'lower' of txn.amount_usd is inf: a bound is a finite number, or -inf for none",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "upper -inf|line 8: 'upper' of txn.amount_usd is -inf: a bound is a finite number, or inf for none",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0\\nlower 1|"
            + "line 7: 'lower' is for logistic models",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount|line 5: unknown feature 'txn.amount'",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1 2|"
            + "line 7: 'weights' needs 1 numbers",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept NaN|"
            + "line 6: 'NaN' is not a finite number",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0|"
            + "line 6: a gbt model needs at least one tree",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0\\ntree 0 nodes 2\\n"
            + "node 0 split 0 1 0 1 yes\\nnode 1 leaf 1|line 8: children of node 0 must be between 1 and 1",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0\\ntree 0 nodes 2\\n"
            + "node 0 split 3 1 1 1 yes\\nnode 1 leaf 1|line 8: feature position 3 outside 0..0",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0\\ntree 0 nodes 3\\n"
            + "node 0 leaf 1|line 8: tree 0 has fewer than 3 nodes",
        "ecap-model 1\\nname x\\nversion 1\\ntype gbt\\nfeatures txn.amount_usd\\nbase_score 0\\ntree 1 nodes 1\\n"
            + "node 0 leaf 1|line 7: trees must be numbered 0, 1, 2...",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "lower 5\\nupper 4|line 9: txn.amount_usd has a lower bound 5.0 above its upper bound 4.0",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "upper 1\\nupper 2|line 9: 'upper' is given twice",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "lower 1 2|line 8: 'lower' needs 1 bounds (one per feature), found 2",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "upper NaN|line 8: 'NaN' is not a finite number",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd\\nintercept 1\\nweights 1\\n"
            + "clip 1|line 8: unexpected 'clip' after weights",
        "ecap-model 1\\nname x\\nversion 1\\ntype logistic\\nfeatures txn.amount_usd card.count_1h txn.amount_usd|"
            + "line 5: feature 'txn.amount_usd' is listed twice (positions 0 and 2)",
    })
    void shouldRejectABadModelFileWithTheLine(final String text, final String problem) {
        rejects(text.replace("\\n", "\n"), problem);
    }

    /** Every tree is walked for every transaction: their number and depth are bounded. */
    @Test
    void shouldRefuseMoreTreesOrDeeperTreesThanTheWriterShouldWalk() {
        final String head = "ecap-model 1\nname x\nversion 1\ntype gbt\nfeatures txn.amount_usd\nbase_score 0\n";
        final StringBuilder many = new StringBuilder(head);
        for (int t = 0; t <= ModelParser.MAX_TREES; t++) {
            many.append("tree ").append(t).append(" nodes 1\nnode 0 leaf 0.1\n");
        }
        rejects(many.toString(), "line " + (7 + 2 * ModelParser.MAX_TREES) + ": a gbt model has at most "
            + ModelParser.MAX_TREES + " trees");
        final StringBuilder deep = new StringBuilder(head);
        final int splits = ModelParser.MAX_DEPTH + 1;
        deep.append("tree 0 nodes ").append(2 * splits + 1).append('\n');
        for (int i = 0; i < splits; i++) { // a chain: each split's "no" child is the next split
            deep.append("node ").append(2 * i).append(" split 0 ").append(i).append(' ').append(2 * i + 1)
                .append(' ').append(2 * i + 2).append(" yes\n");
            deep.append("node ").append(2 * i + 1).append(" leaf 0.1\n");
        }
        deep.append("node ").append(2 * splits).append(" leaf 0.2\n");
        rejects(deep.toString(), "line 7: tree 0 is " + splits + " splits deep; at most " + ModelParser.MAX_DEPTH);
        assertTrue(parses(many.toString().replace("tree " + ModelParser.MAX_TREES + " nodes 1\nnode 0 leaf 0.1\n",
            "")), "as many trees as allowed");
    }

    private static boolean parses(final String text) {
        try {
            return ModelParser.parse(text, FeatureCatalog.forModels()) != null;
        } catch (final ModelException e) {
            throw new AssertionError(e);
        }
    }

    private static void rejects(final String text, final String problem) {
        final ModelException e = assertThrows(ModelException.class,
            () -> ModelParser.parse(text, FeatureCatalog.forModels()));
        assertTrue(e.getMessage().startsWith(problem), e.getMessage());
    }
}
