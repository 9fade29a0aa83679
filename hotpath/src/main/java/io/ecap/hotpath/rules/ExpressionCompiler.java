package io.ecap.hotpath.rules;

import io.ecap.hotpath.features.FeatureCatalog;
import io.ecap.hotpath.features.FeatureType;
import io.ecap.model.Channel;
import io.ecap.model.field.Countries;
import io.ecap.model.field.Segments;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one expression of a rule file, checks its types and compiles it into a {@link Program}. A wrong name, type or
 * literal is recorded with the parser and checking goes on (the part in error has the type {@link Type#UNKNOWN},
 * which raises no further complaint), so one expression can report several problems; a syntax error ends it.
 * Nesting (parentheses, function calls, {@code not}, unary minus) is bounded by {@link #MAX_NESTING}: the compiler
 * recurses once per level, and a file of a few thousand {@code (} must be refused, not overflow the stack.
 */
final class ExpressionCompiler {
    enum Type {
        NUMBER("number"),
        BOOL("true/false test"),
        COUNTRY("country"),
        CHANNEL("channel"),
        SEGMENT("segment"),
        STRING("text"),
        /** The type of a part that already has a problem: accepted everywhere, so one mistake is reported once. */
        UNKNOWN("value of unknown type");

        private final String description;

        Type(final String description) {
            this.description = description;
        }

        String describe() {
            return description;
        }
    }

    /** Deepest nesting in one expression; far beyond any real rule, far within the parser's stack. */
    static final int MAX_NESTING = 64;

    private final RuleParser parser;
    private int nesting;
    private final List<Integer> code = new ArrayList<>();
    private final List<Double> constants = new ArrayList<>();
    private int depth;
    private int maxDepth;
    /** For a string literal just compiled: its constant slot and text, patched once we know what it is compared to. */
    private int lastStringConstant = -1;
    private String lastString;
    private Token lastStringToken;

    ExpressionCompiler(final RuleParser parser) {
        this.parser = parser;
    }

    Program program() {
        final int[] c = code.stream().mapToInt(Integer::intValue).toArray();
        final double[] k = constants.stream().mapToDouble(Double::doubleValue).toArray();
        return new Program(c, k, Math.max(1, maxDepth));
    }

    Type expression() throws RuleParser.Problem {
        Type left = and();
        while (parser.continues() && parser.peek().is("or")) {
            final Token op = parser.next();
            final int jump = shortCircuit(Program.OR_ELSE);
            final Type right = and();
            requireBools(op, left, right);
            emit(Program.TRUTH, 0);
            code.set(jump, code.size());
            left = Type.BOOL;
        }
        return left;
    }

    private Type and() throws RuleParser.Problem {
        Type left = not();
        while (parser.continues() && parser.peek().is("and")) {
            final Token op = parser.next();
            final int jump = shortCircuit(Program.AND_THEN);
            final Type right = not();
            requireBools(op, left, right);
            emit(Program.TRUTH, 0);
            code.set(jump, code.size());
            left = Type.BOOL;
        }
        return left;
    }

    /** Emits a short-circuit test of the left operand; returns where its jump target goes, to patch. */
    private int shortCircuit(final int opcode) {
        emit(opcode, -1);
        code.add(0);
        return code.size() - 1;
    }

    private Type not() throws RuleParser.Problem {
        if (parser.continues() && parser.peek().is("not")) {
            final Token op = parser.next();
            enter(op);
            final Type operand = not();
            nesting--;
            if (operand != Type.BOOL && operand != Type.UNKNOWN) {
                problem(op, "'not' needs a true/false test, found a " + operand.describe());
            }
            emit(Program.NOT, 0);
            return Type.BOOL;
        }
        return comparison();
    }

    private Type comparison() throws RuleParser.Problem {
        final Type left = sum();
        final int leftString = lastStringConstant;
        final String leftText = lastString;
        final Token leftToken = lastStringToken;
        if (!parser.continues()) {
            return left;
        }
        final Token op = parser.peek();
        final int opcode = switch (op.text()) {
            case "<" -> Program.LT;
            case "<=" -> Program.LE;
            case ">" -> Program.GT;
            case ">=" -> Program.GE;
            case "==" -> Program.EQ;
            case "!=" -> Program.NE;
            default -> 0;
        };
        if (opcode == 0 || op.kind() != Token.Kind.SYMBOL) {
            return left;
        }
        parser.next();
        final Type right = sum();
        if (left == Type.UNKNOWN || right == Type.UNKNOWN) {
            emit(opcode, -1);
            return Type.BOOL;
        }
        if (left == Type.STRING) {
            patchString(leftString, leftText, leftToken, right);
        } else if (right == Type.STRING) {
            patchString(lastStringConstant, lastString, lastStringToken, left);
        } else if (left != right || left == Type.BOOL) {
            problem(op, "cannot compare a " + left.describe() + " with a " + right.describe());
            emit(opcode, -1);
            return Type.BOOL;
        }
        final Type compared = left == Type.STRING ? right : left;
        if ((compared == Type.COUNTRY || compared == Type.CHANNEL || compared == Type.SEGMENT) && opcode != Program.EQ
            && opcode != Program.NE) {
            problem(op, "a " + compared.describe() + " can only be compared with == or !=");
        }
        emit(opcode, -1);
        return Type.BOOL;
    }

    private void patchString(final int constant, final String text, final Token at, final Type other) {
        if (other == Type.COUNTRY) {
            final int packed = Countries.pack(text);
            if (packed == Countries.ABSENT) {
                problem(at, "\"" + text + "\" is not an ISO 3166 country code");
            }
            constants.set(constant, (double) packed);
        } else if (other == Type.CHANNEL) {
            try {
                constants.set(constant, (double) Channel.valueOf(text).code());
            } catch (final IllegalArgumentException e) {
                problem(at, "\"" + text + "\" is not a channel (WEB, APP or POS)");
            }
        } else if (other == Type.SEGMENT) {
            final int code = Segments.code(text);
            if (code == Segments.ABSENT) {
                problem(at, "\"" + text + "\" is not an RFM segment (" + String.join(", ", Segments.NAMES) + ")");
            }
            constants.set(constant, (double) code);
        } else {
            problem(at, "text can only be compared with txn.country, txn.channel or customer.segment");
        }
    }

    private Type sum() throws RuleParser.Problem {
        Type left = term();
        while (parser.continues() && (parser.peek().is("+") || parser.peek().is("-"))) {
            final Token op = parser.next();
            final Type right = term();
            requireNumbers(op, left, right);
            emit(op.is("+") ? Program.ADD : Program.SUB, -1);
            left = Type.NUMBER;
        }
        return left;
    }

    private Type term() throws RuleParser.Problem {
        Type left = unary();
        while (parser.continues() && (parser.peek().is("*") || parser.peek().is("/"))) {
            final Token op = parser.next();
            final Type right = unary();
            requireNumbers(op, left, right);
            emit(op.is("*") ? Program.MUL : Program.DIV, -1);
            left = Type.NUMBER;
        }
        return left;
    }

    private Type unary() throws RuleParser.Problem {
        if (parser.continues() && parser.peek().is("-")) {
            final Token op = parser.next();
            enter(op);
            requireNumbers(op, unary(), Type.NUMBER);
            nesting--;
            emit(Program.NEG, 0);
            return Type.NUMBER;
        }
        return primary();
    }

    private Type primary() throws RuleParser.Problem {
        if (!parser.continues()) {
            throw new RuleParser.Problem(parser.peek(), "the expression is incomplete");
        }
        final Token t = parser.next();
        switch (t.kind()) {
            case NUMBER -> {
                try {
                    pushConstant(Double.parseDouble(t.text()));
                } catch (final NumberFormatException e) {
                    problem(t, "not a number: " + t);
                    pushConstant(Double.NaN);
                }
                return Type.NUMBER;
            }
            case STRING -> {
                lastStringConstant = pushConstant(Double.NaN);
                lastString = t.text();
                lastStringToken = t;
                return Type.STRING;
            }
            case SYMBOL -> {
                if (t.is("(")) {
                    enter(t);
                    final Type inner = expression();
                    expect(")");
                    nesting--;
                    return inner;
                }
                throw new RuleParser.Problem(t, "unexpected " + t + " in an expression");
            }
            default -> {
                return word(t);
            }
        }
    }

    private Type word(final Token t) throws RuleParser.Problem {
        if (t.is("true") || t.is("false")) {
            pushConstant(t.is("true") ? 1 : 0);
            return Type.BOOL;
        }
        if (parser.continues() && parser.peek().is("(")) {
            return function(t);
        }
        final int index = FeatureCatalog.indexOf(t.text());
        if (index < 0) {
            final String hint = FeatureCatalog.closest(t.text());
            problem(t, "unknown feature '" + t.text() + "'" + (hint == null ? "" : " (did you mean " + hint + "?)"));
            pushConstant(Double.NaN);
            return Type.UNKNOWN;
        }
        emit(Program.PUSH_FEATURE, 1);
        code.add(index);
        final FeatureType type = FeatureCatalog.type(index);
        return switch (type) {
            case COUNTRY -> Type.COUNTRY;
            case CHANNEL -> Type.CHANNEL;
            case SEGMENT -> Type.SEGMENT;
            case NUMBER -> Type.NUMBER;
        };
    }

    private Type function(final Token name) throws RuleParser.Problem {
        parser.next();
        enter(name);
        try {
            return call(name);
        } finally {
            nesting--;
        }
    }

    private Type call(final Token name) throws RuleParser.Problem {
        final Type first = sum();
        switch (name.text()) {
            case "abs" -> {
                requireNumbers(name, first, Type.NUMBER);
                emit(Program.ABS, 0);
            }
            case "present", "missing" -> {
                emit(Program.PRESENT, 0);
                if (name.is("missing")) {
                    emit(Program.NOT, 0);
                }
                expect(")");
                return Type.BOOL;
            }
            case "min", "max" -> {
                expect(",");
                final Type second = sum();
                requireNumbers(name, first, second);
                emit(name.is("min") ? Program.MIN : Program.MAX, -1);
            }
            default -> {
                problem(name, "unknown function '" + name.text() + "' (abs, min, max, present, missing)");
                while (parser.continues() && parser.peek().is(",")) {
                    parser.next();
                    sum();
                }
                expect(")");
                return Type.UNKNOWN;
            }
        }
        expect(")");
        return Type.NUMBER;
    }

    /** One level deeper; a syntax error (ending the expression) beyond {@link #MAX_NESTING}. */
    private void enter(final Token at) throws RuleParser.Problem {
        if (++nesting > MAX_NESTING) {
            throw new RuleParser.Problem(at, "the expression is nested deeper than " + MAX_NESTING
                + " levels (parentheses, function calls, 'not', '-')");
        }
    }

    private void expect(final String symbol) throws RuleParser.Problem {
        final Token t = parser.continues() ? parser.next() : parser.peek();
        if (!t.is(symbol)) {
            throw new RuleParser.Problem(t, "expected '" + symbol + "', found " + t);
        }
    }

    private int pushConstant(final double value) {
        constants.add(value);
        emit(Program.PUSH_CONST, 1);
        code.add(constants.size() - 1);
        return constants.size() - 1;
    }

    private void emit(final int opcode, final int stackEffect) {
        code.add(opcode);
        depth += stackEffect;
        maxDepth = Math.max(maxDepth, depth);
    }

    private void requireBools(final Token op, final Type a, final Type b) {
        if (a != Type.UNKNOWN && b != Type.UNKNOWN && (a != Type.BOOL || b != Type.BOOL)) {
            problem(op, "'" + op.text() + "' joins true/false tests, found a " + (a != Type.BOOL ? a : b).describe()
                + " (compare it, e.g. card.is_new == 1)");
        }
    }

    private void requireNumbers(final Token op, final Type a, final Type b) {
        if (a != Type.UNKNOWN && b != Type.UNKNOWN && (a != Type.NUMBER || b != Type.NUMBER)) {
            problem(op, "'" + op.text() + "' needs numbers, found a " + (a != Type.NUMBER ? a : b).describe());
        }
    }

    /** A wrong name, type or literal: recorded, and the expression is checked on. */
    private void problem(final Token at, final String message) {
        parser.problem(new RuleParser.Problem(at, message));
    }
}
