package io.ecap.model.scoring;

/**
 * A model file that cannot be loaded: the line and the problem, or a problem of the whole file. The running model
 * stays.
 */
public final class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(final int line, final String problem) {
        super("line " + line + ": " + problem);
    }

    /** A problem of the file as a whole (its version already taken by other content), on no one line. */
    public ModelException(final String problem) {
        super(problem);
    }
}
