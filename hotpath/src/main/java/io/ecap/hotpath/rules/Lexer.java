package io.ecap.hotpath.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a rule file into tokens, remembering each token's line and whether it starts an indented line. Characters
 * the language does not use are reported once per line (the first, and how many more), not once each.
 */
final class Lexer {
    private Lexer() {
    }

    static List<Token> tokenize(final String text, final List<String> problems) {
        final List<Token> tokens = new ArrayList<>();
        final String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            final String line = lines[n];
            final int lineNo = n + 1;
            int i = 0;
            int unexpected = 0;
            char firstUnexpected = 0;
            boolean first = true;
            final boolean indented = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            while (i < line.length()) {
                final char c = line.charAt(i);
                if (c == '#') {
                    break;
                }
                if (c == ' ' || c == '\t' || c == '\r') {
                    i++;
                    continue;
                }
                final int start = i;
                final Token.Kind kind;
                if (Character.isLetter(c) || c == '_') {
                    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
                        || line.charAt(i) == '.')) {
                        i++;
                    }
                    kind = Token.Kind.WORD;
                } else if (Character.isDigit(c)) {
                    while (i < line.length() && (Character.isDigit(line.charAt(i)) || line.charAt(i) == '.')) {
                        i++;
                    }
                    kind = Token.Kind.NUMBER;
                } else if (c == '"') {
                    i++;
                    while (i < line.length() && line.charAt(i) != '"') {
                        i++;
                    }
                    if (i == line.length()) {
                        problems.add("line " + lineNo + ": a string is not closed");
                        break;
                    }
                    tokens.add(new Token(Token.Kind.STRING, line.substring(start + 1, i), lineNo, first, indented));
                    first = false;
                    i++;
                    continue;
                } else if ("<>=!".indexOf(c) >= 0 && i + 1 < line.length() && line.charAt(i + 1) == '=') {
                    i += 2;
                    kind = Token.Kind.SYMBOL;
                } else if ("<>+-*/(),".indexOf(c) >= 0) {
                    i++;
                    kind = Token.Kind.SYMBOL;
                } else {
                    firstUnexpected = unexpected++ == 0 ? c : firstUnexpected;
                    i++;
                    continue;
                }
                tokens.add(new Token(kind, line.substring(start, i), lineNo, first, indented));
                first = false;
            }
            if (unexpected > 0) {
                problems.add("line " + lineNo + ": unexpected character " + describe(firstUnexpected)
                    + (unexpected > 1 ? " (and " + (unexpected - 1) + " more on this line)" : ""));
            }
        }
        // the end is on the last line that holds something: a problem found there ("the expression is incomplete")
        // names the line a reader has to change
        tokens.add(new Token(Token.Kind.END, "", tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line(), true,
            false));
        return tokens;
    }

    /** A character for a message: itself in quotes when printable, its code point otherwise. */
    private static String describe(final char c) {
        return c >= ' ' && c != 0x7F && !Character.isISOControl(c) ? "'" + c + "'"
            : String.format("U+%04X", (int) c);
    }
}
