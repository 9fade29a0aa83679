package io.ecap.hotpath.rules;

/**
 * A compiled expression: postfix code over a stack of doubles. Booleans are 1 and 0. Comparisons involving a missing
 * value (NaN) are false, arithmetic with one stays missing, and division by zero gives a missing value.
 * {@code and} and {@code or} stop at their first operand when it decides the result ({@link #AND_THEN},
 * {@link #OR_ELSE}): most rules fail on their first test, so most of a rule set is never evaluated.
 * Evaluation allocates nothing.
 */
public final class Program {
    static final int PUSH_CONST = 1;
    static final int PUSH_FEATURE = 2;
    static final int ADD = 3;
    static final int SUB = 4;
    static final int MUL = 5;
    static final int DIV = 6;
    static final int NEG = 7;
    static final int LT = 8;
    static final int LE = 9;
    static final int GT = 10;
    static final int GE = 11;
    static final int EQ = 12;
    static final int NE = 13;
    static final int AND = 14;
    static final int OR = 15;
    static final int NOT = 16;
    static final int ABS = 17;
    static final int MIN = 18;
    static final int MAX = 19;
    static final int PRESENT = 20;
    /** {@code AND_THEN target}: if the top is false, jump to target with it; else drop it and go on. */
    static final int AND_THEN = 21;
    /** {@code OR_ELSE target}: if the top is true, jump to target with 1; else drop it and go on. */
    static final int OR_ELSE = 22;
    /** The top becomes 1 if it is not 0, else 0 (the right operand of a short-circuited and/or). */
    static final int TRUTH = 23;

    private final int[] code;
    private final double[] constants;
    private final int maxStack;

    Program(final int[] code, final double[] constants, final int maxStack) {
        this.code = code;
        this.constants = constants;
        this.maxStack = maxStack;
    }

    public int maxStack() {
        return maxStack;
    }

    /** Evaluates over a feature vector, using {@code stack} (at least {@link #maxStack()} long) as scratch. */
    public double evaluate(final double[] features, final double[] stack) {
        int sp = 0;
        for (int pc = 0; pc < code.length; pc++) {
            final int op = code[pc];
            switch (op) {
                case PUSH_CONST -> stack[sp++] = constants[code[++pc]];
                case PUSH_FEATURE -> stack[sp++] = features[code[++pc]];
                case NEG -> stack[sp - 1] = -stack[sp - 1];
                case NOT -> stack[sp - 1] = stack[sp - 1] == 0 ? 1 : 0;
                case ABS -> stack[sp - 1] = Math.abs(stack[sp - 1]);
                case PRESENT -> stack[sp - 1] = Double.isNaN(stack[sp - 1]) ? 0 : 1;
                case AND_THEN -> {
                    if (stack[sp - 1] == 0) {
                        pc = code[pc + 1] - 1;
                    } else {
                        sp--;
                        pc++;
                    }
                }
                case OR_ELSE -> {
                    if (stack[sp - 1] != 0) {
                        stack[sp - 1] = 1;
                        pc = code[pc + 1] - 1;
                    } else {
                        sp--;
                        pc++;
                    }
                }
                case TRUTH -> stack[sp - 1] = stack[sp - 1] != 0 ? 1 : 0;
                default -> {
                    final double b = stack[--sp];
                    final double a = stack[sp - 1];
                    stack[sp - 1] = binary(op, a, b);
                }
            }
        }
        return stack[0];
    }

    private static double binary(final int op, final double a, final double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> b == 0 ? Double.NaN : a / b;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b && !Double.isNaN(a) && !Double.isNaN(b) ? 1 : 0;
            case AND -> a != 0 && b != 0 ? 1 : 0;
            case OR -> a != 0 || b != 0 ? 1 : 0;
            case MIN -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case MAX -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            default -> throw new IllegalStateException("bad opcode " + op);
        };
    }
}
