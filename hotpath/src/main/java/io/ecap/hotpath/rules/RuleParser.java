package io.ecap.hotpath.rules;

import io.ecap.model.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses and validates a rule file. The language:
 *
 * <pre>
 * # comments run to the end of the line
 * ruleset default version 3
 * thresholds review 400 decline 700
 * model weight 300                      # optional: points added at model probability 1.0
 *
 * rule CARD_TESTING weight 350 [action REVIEW|DECLINE]
 *     when card.count_1h >= 8 and card.avg_1h_usd &lt; 5      # indented; may continue on indented lines
 *     reason "many small amounts on one card" value card.count_1h
 * </pre>
 *
 * Expressions: feature names (see FeatureCatalog), numbers, strings (compared with txn.country or txn.channel),
 * {@code + - * /}, {@code < <= > >= == !=}, {@code and or not}, parentheses and the functions {@code abs(x)},
 * {@code min(a, b)}, {@code max(a, b)}, {@code present(x)}, {@code missing(x)}. Every problem in the file is reported
 * with its line; one problem rejects the whole file.
 */
public final class RuleParser {
    public static final int MAX_WEIGHT = 1000;
    public static final int MAX_RULES = 256;

    private final List<String> problems = new ArrayList<>();
    private List<Token> tokens;
    private int pos;

    private RuleParser() {
    }

    public static RuleSet parse(final String text) throws RuleSetException {
        return new RuleParser().parseFile(text);
    }

    private RuleSet parseFile(final String text) throws RuleSetException {
        tokens = Lexer.tokenize(text, problems);
        String name = null;
        int version = 0;
        int review = -1;
        int decline = -1;
        int modelWeight = 0;
        final List<Rule> rules = new ArrayList<>();
        final Set<String> ruleNames = new HashSet<>();
        while (peek().kind() != Token.Kind.END) {
            final Token t = next();
            try {
                if (!t.startsLine() || t.indented()) {
                    throw new Problem(t, "expected a statement at the start of a line "
                        + "(ruleset, thresholds, model or rule), found " + t);
                }
                switch (t.text()) {
                    case "ruleset" -> {
                        if (name != null) {
                            throw new Problem(t, "'ruleset' appears twice");
                        }
                        name = identifier("a rule set name");
                        keyword("version");
                        version = integer(1, Integer.MAX_VALUE, "the version");
                    }
                    case "thresholds" -> {
                        keyword("review");
                        review = integer(0, 1000, "the review threshold");
                        keyword("decline");
                        decline = integer(0, 1000, "the decline threshold");
                        if (review > decline) {
                            throw new Problem(t, "the review threshold " + review
                                + " is above the decline threshold " + decline);
                        }
                    }
                    case "model" -> {
                        keyword("weight");
                        modelWeight = integer(0, MAX_WEIGHT, "the model weight");
                    }
                    case "rule" -> {
                        final Rule rule = rule(t);
                        if (!ruleNames.add(rule.name())) {
                            throw new Problem(t, "rule " + rule.name() + " is defined twice");
                        }
                        rules.add(rule);
                    }
                    default -> throw new Problem(t, "expected ruleset, thresholds, model or rule, found " + t);
                }
                expectEndOfStatement();
            } catch (final Problem p) {
                problems.add(p.getMessage());
                skipToNextStatement();
            }
        }
        if (name == null) {
            problems.add(0, "line 1: the file must start with 'ruleset <name> version <n>'");
        }
        if (review < 0) {
            problems.add("line " + lastLine() + ": 'thresholds review <n> decline <n>' is missing");
        }
        if (rules.size() > MAX_RULES) {
            problems.add("line " + lastLine() + ": more than " + MAX_RULES + " rules");
        }
        if (!problems.isEmpty()) {
            throw new RuleSetException(problems);
        }
        return new RuleSet(name, version, review, decline, modelWeight, List.copyOf(rules), text);
    }

    private Rule rule(final Token start) throws Problem {
        final Token nameToken = next();
        if (nameToken.kind() != Token.Kind.WORD || !nameToken.text().matches("[A-Z][A-Z0-9_]{0,31}")) {
            throw new Problem(nameToken, "a rule name is upper case letters, digits and '_' (at most 32), found "
                + nameToken);
        }
        keyword("weight");
        final int weight = signedInteger(-MAX_WEIGHT, MAX_WEIGHT, "the weight");
        Outcome action = null;
        if (peek().is("action") && !peek().startsLine()) {
            next();
            final Token a = next();
            if (!a.is("REVIEW") && !a.is("DECLINE")) {
                throw new Problem(a, "the action is REVIEW or DECLINE, found " + a);
            }
            action = Outcome.valueOf(a.text());
        }
        expectEndOfStatement();
        final Token when = next();
        if (!when.is("when") || !when.indented()) {
            throw new Problem(when, "rule " + nameToken.text() + " needs an indented 'when <condition>' line");
        }
        final ExpressionCompiler condition = new ExpressionCompiler(this);
        final ExpressionCompiler.Type type = condition.expression();
        if (type != ExpressionCompiler.Type.BOOL) {
            throw new Problem(when, "the condition of " + nameToken.text()
                + " is a " + type.describe() + ", not a true/false test");
        }
        String detail = nameToken.text();
        Program value = null;
        if (peek().is("reason") && peek().startsLine()) {
            final Token reason = next();
            final Token text = next();
            if (text.kind() != Token.Kind.STRING || text.text().isEmpty() || text.text().length() > 128) {
                throw new Problem(reason, "'reason' is followed by a quoted text of 1 to 128 characters");
            }
            detail = text.text();
            if (peek().is("value") && !peek().startsLine()) {
                next();
                final ExpressionCompiler v = new ExpressionCompiler(this);
                if (v.expression() != ExpressionCompiler.Type.NUMBER) {
                    throw new Problem(reason, "the reason value must be a number");
                }
                value = v.program();
            }
        }
        return new Rule(nameToken.text(), weight, action, detail, condition.program(), value, start.line());
    }

    Token peek() {
        return tokens.get(pos);
    }

    /** The next token, or END; within a statement, a token starting an unindented line is not consumed. */
    Token next() {
        final Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    /** True if the next token continues the current expression (same line, or an indented continuation line). */
    boolean continues() {
        final Token t = peek();
        return t.kind() != Token.Kind.END && (!t.startsLine() || t.indented() && !t.is("when") && !t.is("reason"));
    }

    private void expectEndOfStatement() throws Problem {
        final Token t = peek();
        if (t.kind() != Token.Kind.END && !t.startsLine()) {
            throw new Problem(t, "unexpected " + t + " at the end of the statement");
        }
    }

    private void skipToNextStatement() {
        while (peek().kind() != Token.Kind.END && !(peek().startsLine() && !peek().indented())) {
            pos++;
        }
    }

    private void keyword(final String word) throws Problem {
        final Token t = next();
        if (!t.is(word) || t.startsLine()) {
            throw new Problem(t, "expected '" + word + "', found " + t);
        }
    }

    private String identifier(final String what) throws Problem {
        final Token t = next();
        if (t.kind() != Token.Kind.WORD || t.startsLine() || !t.text().matches("[A-Za-z][A-Za-z0-9_-]{0,31}")) {
            throw new Problem(t, "expected " + what + ", found " + t);
        }
        return t.text();
    }

    private int integer(final int min, final int max, final String what) throws Problem {
        final Token t = next();
        if (t.kind() != Token.Kind.NUMBER || t.startsLine() || !t.text().matches("\\d{1,10}")
            || Long.parseLong(t.text()) < min || Long.parseLong(t.text()) > max) {
            throw new Problem(t, what + " must be a whole number from " + min + " to " + max + ", found " + t);
        }
        return Integer.parseInt(t.text());
    }

    private int signedInteger(final int min, final int max, final String what) throws Problem {
        if (peek().is("-") && !peek().startsLine()) {
            next();
            return -integer(0, -min, what);
        }
        return integer(0, max, what);
    }

    private int lastLine() {
        return tokens.get(tokens.size() - 1).line();
    }

    /** A problem at a token; parsing resumes at the next statement. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(final Token at, final String message) {
            super("line " + at.line() + ": " + message, null, false, false);
        }
    }
}
