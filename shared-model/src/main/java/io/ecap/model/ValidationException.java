package io.ecap.model;

/**
 * A rejected input: names the field and the problem, so the caller can answer with a precise error.
 * Stackless, because bad input is an expected condition and not a bug.
 */
public final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    public ValidationException(final String field, final String problem) {
        super(field + ": " + problem, null, false, false);
        this.field = field;
        this.problem = problem;
    }

    /** The JSON field (dotted path for nested fields), or {@code "$"} for the document itself. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
