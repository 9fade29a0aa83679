package io.ecap.gateway.cases;

/** The database could not be reached or refused a statement; the case writer waits, reconnects and resumes. */
public final class CaseStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CaseStoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
