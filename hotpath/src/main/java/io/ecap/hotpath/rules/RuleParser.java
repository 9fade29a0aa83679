package io.ecap.hotpath.rules;

import io.ecap.model.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
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
 * with its line, in line order; one problem rejects the whole file. A problem in one part of a rule (its header, its
 * condition, its reason) does not hide those in the other parts, and a wrong name or type inside an expression does
 * not hide the rest of the expression; only after a syntax error is the rest of that line skipped.
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
        // a byte-order mark some editors put first is not part of the rules
        return new RuleParser().parseFile(text.startsWith("\uFEFF") ? text.substring(1) : text);
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
            problems.sort(Comparator.comparingInt(RuleParser::lineOf));
            throw new RuleSetException(problems);
        }
        return new RuleSet(name, version, review, decline, modelWeight, List.copyOf(rules), text);
    }

    /**
     * A rule: its header line, its {@code when} line(s) and an optional {@code reason} line. Each part is checked
     * even when an earlier one has a problem (recorded, and the rest of that line skipped), so that every problem of
     * the rule is reported at once; the rule's value is meaningless then, but the file is rejected anyway.
     */
    private Rule rule(final Token start) throws Problem {
        final Token nameToken = next();
        if (nameToken.kind() != Token.Kind.WORD || !nameToken.text().matches("[A-Z][A-Z0-9_]{0,31}")) {
            problem(new Problem(nameToken, "a rule name is upper case letters, digits and '_' (at most 32), found "
                + nameToken));
        }
        final String name = nameToken.text();
        int weight = 0;
        Outcome action = null;
        try {
            keyword("weight");
            weight = signedInteger(-MAX_WEIGHT, MAX_WEIGHT, "the weight");
            if (peek().is("action") && !peek().startsLine()) {
                next();
                final Token a = next();
                if (!a.is("REVIEW") && !a.is("DECLINE")) {
                    throw new Problem(a, "the action is REVIEW or DECLINE, found " + a);
                }
                action = Outcome.valueOf(a.text());
            }
            expectEndOfStatement();
        } catch (final Problem p) {
            problem(p);
            skipRestOfLine();
        }
        final Token when = peek();
        if (!when.is("when") || !when.indented() || !when.startsLine()) {
            throw new Problem(when, "rule " + name + " needs an indented 'when <condition>' line");
        }
        next();
        final ExpressionCompiler condition = new ExpressionCompiler(this);
        try {
            final ExpressionCompiler.Type type = condition.expression();
            if (type != ExpressionCompiler.Type.BOOL && type != ExpressionCompiler.Type.UNKNOWN) {
                problem(new Problem(when, "the condition of " + name + " is a " + type.describe()
                    + ", not a true/false test"));
            }
            expectEndOfStatement();
        } catch (final Problem p) {
            problem(p);
            skipToNextLine();
        }
        String detail = name;
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
                final ExpressionCompiler.Type type = v.expression();
                if (type != ExpressionCompiler.Type.NUMBER && type != ExpressionCompiler.Type.UNKNOWN) {
                    problem(new Problem(reason, "the reason value must be a number"));
                }
                value = v.program();
            }
        }
        return new Rule(name, weight, action, detail, condition.program(), value, start.line());
    }

    /** Records a problem and goes on checking: the file is rejected at the end, with every problem found. */
    void problem(final Problem p) {
        problems.add(p.getMessage());
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

    /** Skips the rest of the current line (not the indented lines after it). */
    private void skipRestOfLine() {
        while (peek().kind() != Token.Kind.END && !peek().startsLine()) {
            pos++;
        }
    }

    /** Skips the rest of the current line and the indented continuation lines of the same part of a rule. */
    private void skipToNextLine() {
        skipRestOfLine();
        while (peek().kind() != Token.Kind.END && peek().indented() && !peek().is("when") && !peek().is("reason")) {
            pos++;
            skipRestOfLine();
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
        return wholeNumber(next(), false, min, max, what);
    }

    /** A whole number that may be negative ({@code -200}); the message names the whole range either way. */
    private int signedInteger(final int min, final int max, final String what) throws Problem {
        final boolean negative = peek().is("-") && !peek().startsLine();
        if (negative) {
            next();
        }
        return wholeNumber(next(), negative, min, max, what);
    }

    private static int wholeNumber(final Token t, final boolean negative, final int min, final int max,
        final String what) throws Problem {
        final boolean digits = t.kind() == Token.Kind.NUMBER && !t.startsLine() && t.text().matches("\\d{1,10}");
        final long value = digits ? (negative ? -Long.parseLong(t.text()) : Long.parseLong(t.text())) : 0;
        if (!digits || value < min || value > max) {
            throw new Problem(t, what + " must be a whole number from " + min + " to " + max + ", found "
                + (negative ? "'-" + t.text() + "'" : t));
        }
        return (int) value;
    }

    /** The line number a problem starts with ("line 12: ..."), to list the problems in line order. */
    private static int lineOf(final String problem) {
        final int colon = problem.indexOf(':');
        try {
            return Integer.parseInt(problem.substring("line ".length(), colon));
        } catch (final RuntimeException e) {
            return 0;
        }
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
