package org.aoemigrate.aoe.target.cli;

/**
 * Why {@code aoe-target} cannot go on: printed as one line, {@code aoe-target: MESSAGE}, and the
 * process exits with {@link #status}. The message says what was wrong, where, and what to do.
 */
final class CommandFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final ExitStatus status;

    CommandFailure(ExitStatus status, String message) {
        super(message);
        this.status = status;
    }

    CommandFailure(ExitStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    ExitStatus status() {
        return status;
    }
}
