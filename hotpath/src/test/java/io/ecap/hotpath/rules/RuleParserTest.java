package io.ecap.hotpath.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.model.Channel;
import io.ecap.model.Outcome;
import io.ecap.model.field.Countries;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleParserTest {
    private static final String HEADER = "ruleset test version 2\nthresholds review 300 decline 600\n";

    private final double[] features = new double[FeatureCatalog.size()];
    private final double[] stack = new double[32];

    private static RuleSet parse(final String rules) throws RuleSetException {
        return RuleParser.parse(HEADER + rules);
    }

    private double eval(final String condition) throws RuleSetException {
        return parse("rule R weight 1\n    when " + condition + "\n").rules().get(0).condition()
            .evaluate(features, stack);
    }

    private void set(final String feature, final double value) {
        features[FeatureCatalog.indexOf(feature)] = value;
    }

    @Test
    void shouldReadAFileThatStartsWithAByteOrderMark() throws RuleSetException {
        assertEquals("test@2", RuleParser.parse("\uFEFF" + HEADER + "rule R weight 1\n    when txn.amount_usd > 1\n")
            .label());
    }

    @Test
    void shouldParseTheBundledDefaultRules() {
        final RuleSet rules = DefaultRules.ruleSet();
        assertEquals("default@2", rules.label());
        assertTrue(rules.rules().size() >= 10);
        assertEquals(400, rules.reviewThreshold());
        assertEquals(700, rules.declineThreshold());
    }

    @Test
    void shouldParseRulesWithActionsReasonsAndContinuationLines() throws RuleSetException {
        final RuleSet rules = parse("model weight 250\n"
            + "# a comment\n"
            + "rule BIG weight 300 action DECLINE   # trailing comment\n"
            + "    when txn.amount_usd > 1000\n"
            + "        and card.count_1h >= 2\n"
            + "    reason \"big and fast\" value txn.amount_usd * 2\n"
            + "rule NEG weight -50\n"
            + "    when card.age_days > 365\n");
        assertEquals("test@2", rules.label());
        assertEquals(250, rules.modelWeight());
        final Rule big = rules.rules().get(0);
        assertEquals(Outcome.DECLINE, big.action());
        assertEquals("big and fast", big.detail());
        set("txn.amount_usd", 1500);
        set("card.count_1h", 2);
        assertEquals(1, big.condition().evaluate(features, stack));
        assertEquals(3000, big.value().evaluate(features, stack));
        set("card.count_1h", 1);
        assertEquals(0, big.condition().evaluate(features, stack));
        assertEquals(-50, rules.rules().get(1).weight());
        assertNull(rules.rules().get(1).value());
        assertEquals("NEG", rules.rules().get(1).detail());
    }

    @Test
    void shouldEvaluateOperatorsPrecedenceAndMissingValues() throws RuleSetException {
        set("txn.amount_usd", 10);
        set("card.count_1h", 3);
        assertEquals(1, eval("txn.amount_usd + card.count_1h * 2 == 16"));
        assertEquals(1, eval("(txn.amount_usd + card.count_1h) * 2 == 26"));
        assertEquals(1, eval("-txn.amount_usd < 0 and not (card.count_1h != 3)"));
        assertEquals(1, eval("card.count_1h > 5 or txn.amount_usd >= 10 and card.count_1h <= 3"));
        assertEquals(1, eval("abs(0 - txn.amount_usd) == 10 and min(1, 2) == 1 and max(1, 2) == 2"));
        set("device.count_1h", Double.NaN);
        assertEquals(0, eval("device.count_1h >= 0"), "a comparison with a missing value is false");
        assertEquals(0, eval("device.count_1h != 1"), "even !=");
        assertEquals(1, eval("missing(device.count_1h) and present(card.count_1h)"));
        assertEquals(0, eval("txn.amount_usd / 0 > 0"), "division by zero is missing");
    }

    @Test
    void shouldCompareCountriesAndChannelsWithText() throws RuleSetException {
        set("txn.country", Countries.pack("DE"));
        set("txn.channel", Channel.APP.code());
        assertEquals(1, eval("txn.country == \"DE\" and \"APP\" == txn.channel"));
        assertEquals(0, eval("txn.country != \"DE\" or txn.channel == \"WEB\""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rule X weight 1\\n    when card.cnt_1h > 2|line 4: unknown feature 'card.cnt_1h' (did you mean "
            + "card.count_1h?)",
        "rule X weight 1\\n    when card.count_1h > |line 4: the expression is incomplete",
        "rule X weight 1\\n    when card.count_1h|line 4: the condition of X is a number, not a true/false test",
        "rule X weight 1\\n    when card.count_1h and true|line 4: 'and' joins true/false tests, found a number",
        "rule X weight 1\\n    when txn.country == \"ZZ\"|line 4: \"ZZ\" is not an ISO 3166 country code",
        "rule X weight 1\\n    when txn.channel == \"SHOP\"|line 4: \"SHOP\" is not a channel (WEB, APP or POS)",
        "rule X weight 1\\n    when txn.amount_usd == \"10\"|line 4: text can only be compared with txn.country",
        "rule X weight 1\\n    when txn.country > \"DE\"|line 4: a country can only be compared with == or !=",
        "rule X weight 1\\n    when txn.country == txn.amount_usd|line 4: cannot compare a country with a number",
        "rule X weight 1\\n    when foo(1) > 0|line 4: unknown function 'foo'",
        "rule X weight 1\\n    when (card.count_1h > 1|line 4: expected ')', found the end of the file",
        "rule x weight 1\\n    when true|line 3: a rule name is upper case letters",
        "rule X weight 5000\\n    when true|line 3: the weight must be a whole number from -1000 to 1000, found '5000'",
        "rule X weight -5000\\n    when true|line 3: the weight must be a whole number from -1000 to 1000, "
            + "found '-5000'",
        "model weight -5|line 3: the model weight must be a whole number from 0 to 1000, found '-'",
        "rule X weight 1 action BLOCK\\n    when true|line 3: the action is REVIEW or DECLINE",
        "rule X weight 1\\nrule Y weight 1\\n    when true|line 4: rule X needs an indented 'when <condition>' line",
        "rule X weight 1\\n    when true\\nrule X weight 2\\n    when true|line 5: rule X is defined twice",
        "rule X weight 1\\n    when true\\n    reason 42|line 5: 'reason' is followed by a quoted text",
        "rule X weight 1\\n    when true\\n    reason \"r\" value txn.country|"
            + "line 5: the reason value must be a number",
        "rule X weight 1\\n    when txn.amount_usd > 1 $|line 4: unexpected character '$'",
        "frobnicate|line 3: expected ruleset, thresholds, model or rule",
    })
    void shouldRejectTheWholeFileNamingTheLineAndTheProblem(final String body, final String problem) {
        final RuleSetException e = assertThrows(RuleSetException.class, () -> parse(body.replace("\\n", "\n")));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(problem)),
            "expected '" + problem + "' in " + e.problems());
    }

    @Test
    void shouldTakeNegativeWeightsDownToMinusTheMaximum() throws RuleSetException {
        assertEquals(-200, parse("rule X weight -200\n    when true\n").rules().get(0).weight());
        assertEquals(-1000, parse("rule X weight -1000\n    when true\n").rules().get(0).weight());
        assertEquals(1000, parse("rule X weight 1000\n    when true\n").rules().get(0).weight());
    }

    @Test
    void shouldReportEveryProblemOfEveryPartOfARuleInLineOrder() {
        final RuleSetException e = assertThrows(RuleSetException.class, () -> RuleParser.parse(
            "ruleset t version 1\n"
                + "thresholds review 800 decline 700\n"
                + "rule A weight 5000\n"
                + "    when card.count_1h > 1 and nope > 2 and card.count_1h\n"
                + "    reason \"r\" value txn.country\n"
                + "rule B weight 10 action MAYBE\n"
                + "    when txn.country == \"XX\" or foo(1) > 0\n"
                + "rule C weight 1 $\n"
                + "    when card.count_1h > > 2\n"));
        assertEquals(Arrays.asList(
            "line 2: the review threshold 800 is above the decline threshold 700",
            "line 3: the weight must be a whole number from -1000 to 1000, found '5000'",
            "line 4: unknown feature 'nope'",
            "line 4: 'and' joins true/false tests, found a number (compare it, e.g. card.is_new == 1)",
            "line 5: the reason value must be a number",
            "line 6: the action is REVIEW or DECLINE, found 'MAYBE'",
            "line 7: \"XX\" is not an ISO 3166 country code",
            "line 7: unknown function 'foo' (abs, min, max, present, missing)",
            "line 8: unexpected character '$'",
            "line 9: unexpected '>' in an expression"), e.problems());
        assertEquals(10, e.count());
    }

    @Test
    void shouldListTheFirstHundredProblemsOfAFileOfGarbageWithTheirCount() {
        final StringBuilder garbage = new StringBuilder();
        final java.util.Random random = new java.util.Random(12);
        while (garbage.length() < 60_000) {
            garbage.append((char) (33 + random.nextInt(94)));
            if (random.nextInt(40) == 0) {
                garbage.append('\n');
            }
        }
        final RuleSetException e = assertThrows(RuleSetException.class, () -> RuleParser.parse(garbage.toString()));
        assertEquals(RuleSetException.MAX_LISTED, e.problems().size());
        assertTrue(e.count() > RuleSetException.MAX_LISTED, "counted " + e.count());
        assertTrue(e.getMessage().endsWith("more problems (" + e.count() + " in all)"), e.getMessage());
        assertTrue(e.getMessage().length() < 20_000, "the message stays readable: " + e.getMessage().length());
    }

    @Test
    void shouldReportEveryProblemInTheFile() {
        final RuleSetException e = assertThrows(RuleSetException.class, () -> RuleParser.parse(
            "thresholds review 800 decline 100\n"
                + "rule A weight 1\n    when nope > 1\n"
                + "rule B weight 1\n    when card.count_1h > 1\n"
                + "rule C weight 1\n    when card.count_1h >\n"));
        assertEquals(Arrays.asList(
            "line 1: the file must start with 'ruleset <name> version <n>'",
            "line 1: the review threshold 800 is above the decline threshold 100",
            "line 3: unknown feature 'nope'",
            "line 7: the expression is incomplete"), e.problems());
    }

    @Test
    void shouldRefuseNestingDeeperThanTheBoundInsteadOfOverflowingTheStack() throws RuleSetException {
        final int bound = ExpressionCompiler.MAX_NESTING;
        parse("rule X weight 1\n    when " + "(".repeat(bound) + "true" + ")".repeat(bound) + "\n");
        for (final String open : new String[] {"(", "not ", "abs(", "- "}) {
            final String close = open.endsWith("(") ? ")" : "";
            final RuleSetException e = assertThrows(RuleSetException.class, () -> parse("rule X weight 1\n    when "
                + open.repeat(20_000) + "card.count_1h" + close.repeat(20_000) + " > 1\n"));
            assertEquals(1, e.count(), open + ": " + e.problems());
            assertTrue(e.problems().get(0).startsWith("line 4: the expression is nested deeper than " + bound),
                e.problems().get(0));
        }
    }
}
