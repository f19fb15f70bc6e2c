package org.aoemigrate.orchestrator.api;

/** An {@link ApiError} as an exception: thrown by handlers, and by the client when the daemon answers with one. */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public ApiException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    public ApiError error() {
        return new ApiError(code, getMessage());
    }
}
