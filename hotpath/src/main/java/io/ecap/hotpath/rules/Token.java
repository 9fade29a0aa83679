package io.ecap.hotpath.rules;

/** One lexical token of a rule file. */
record Token(Kind kind, String text, int line, boolean startsLine, boolean indented) {
    enum Kind {
        WORD,
        NUMBER,
        STRING,
        SYMBOL,
        END
    }

    boolean is(final String word) {
        return kind != Kind.STRING && text.equals(word);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> "\"" + text + "\"";
            case END -> "the end of the file";
            default -> "'" + text + "'";
        };
    }
}
