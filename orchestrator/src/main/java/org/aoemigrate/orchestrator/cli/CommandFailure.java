package org.aoemigrate.orchestrator.cli;

/** A failure with the exit status it ends the command with; its message is printed as one line. */
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
