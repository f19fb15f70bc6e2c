package org.aoemigrate.aoe.initiator.cli;

/**
 * Why a command cannot go on: printed as one line, {@code aoe-initiator: MESSAGE}, and the
 * process exits with {@link #status}. The message names the device and says what failed and
 * what to do.
 */
public final class CommandFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final ExitStatus status;

    public CommandFailure(ExitStatus status, String message) {
        super(message);
        this.status = status;
    }

    public CommandFailure(ExitStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public ExitStatus status() {
        return status;
    }
}
