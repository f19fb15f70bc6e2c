package org.aoemigrate.aoe.target.cli;

import org.aoemigrate.cli.ExitCode;

/** The exit statuses of {@code aoe-target}, as listed by {@code --help}. */
public enum ExitStatus implements ExitCode {
    OK(0, "Help or version printed."),
    SOFTWARE(1, "Unexpected failure (a bug): the message and a stack trace follow."),
    USAGE(2, "Bad arguments: an unknown option, a shelf or slot out of range, a bad MAC in -m."),
    CONFIG(3, "The --config file is invalid: the message names its line and key."),
    EXPORT(4, "An export cannot be served: its file is missing or shorter than -o/-l ask for, or the"
            + " state directory is unusable."),
    NETWORK(5, "An interface does not exist here, or cannot be opened."),
    PERMISSION(6, "No permission for raw sockets: run as root or with CAP_NET_RAW."),
    ADDRESS_IN_USE(7, "Another target already answers for one of the addresses on the segment."),
    /** Never returned by the command: the JVM exits so after the shutdown hook has stopped the target. */
    INTERRUPTED(130, "Stopped by SIGINT (Ctrl-C), after a clean stop."),
    /** Never returned by the command: the JVM's status after SIGTERM and the shutdown hook. */
    TERMINATED(143, "Stopped by SIGTERM, after a clean stop (systemd: SuccessExitStatus=143).");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
