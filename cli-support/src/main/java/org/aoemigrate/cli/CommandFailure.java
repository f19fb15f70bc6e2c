package org.aoemigrate.cli;

/**
 * A command that cannot do what it was asked: the one line the user reads (what failed and where)
 * and the exit status that says which kind of failure it was.
 */
public final class CommandFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ExitCode status;

    public CommandFailure(ExitCode status, String message) {
        super(message);
        this.status = status;
    }

    public CommandFailure(ExitCode status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public ExitCode status() {
        return status;
    }
}
