package io.ecap.model.scoring;

/** A model file that cannot be loaded: the line and the problem. The running model stays. */
public final class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(final int line, final String problem) {
        super("line " + line + ": " + problem);
    }
}
