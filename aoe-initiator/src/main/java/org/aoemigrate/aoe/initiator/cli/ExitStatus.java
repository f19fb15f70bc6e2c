package org.aoemigrate.aoe.initiator.cli;

import org.aoemigrate.cli.ExitCode;

/** The exit statuses of {@code aoe-initiator}, as every command's {@code --help} lists them. */
public enum ExitStatus implements ExitCode {
    OK(0, "Success (for check: every part held)."),
    SOFTWARE(1, "Unexpected failure (a bug): the message and a stack trace follow."),
    USAGE(2, "Bad arguments: an unknown option, a malformed address, MAC or size."),
    NO_ANSWER(3, "The device did not answer (not discovered, or a request timed out)."),
    REFUSED(4, "The target refused the request: reserved to others, config string present, mask edit failed."),
    IO_ERROR(5, "An I/O error: an ATA error from the target, or a local file or device that cannot be read or written."),
    NETWORK(6, "An interface does not exist here, is down, or cannot be opened."),
    PERMISSION(7, "No permission for raw sockets: run as root or with CAP_NET_RAW."),
    CHECK_FAILED(8, "check: at least one part failed; the output names it and why."),
    NOT_FOUND(9, "stat: no AoE device is known (no kernel aoe driver devices, or none answered --probe).");

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
