package io.ecap.model.binary;

/** A binary message that does not match its layout: a bug or corruption, never user input. */
public final class MessageFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessageFormatException(final String message) {
        super(message);
    }
}
