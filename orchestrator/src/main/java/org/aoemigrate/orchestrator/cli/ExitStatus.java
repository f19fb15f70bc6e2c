package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.cli.ExitCode;

/** The exit statuses of {@code aoemigrate}, as every command's {@code --help} lists them. */
public enum ExitStatus implements ExitCode {
    OK(0, "Success: the guest moved; check: every preflight check passed; drain, rebalance: every move succeeded (or"
            + " the dry run's plan is printed); others: the daemon answered."),
    FAILED(1, "The migration failed; the message says where the guest runs and who may write its disks."
            + " recover: a migration needs the operator (split brain, guest nowhere, a host silent)."
            + " drain, rebalance: a move did not succeed (each move's outcome is printed)."),
    USAGE(2, "Bad arguments: an unknown option or command, a missing VM or HOST, a HOST not in the inventory."),
    REFUSED(3, "A preflight check said no (migrate, check); drain, rebalance: the run was refused (the cluster cannot"
            + " hold the drained host's guests, another run is going on); nothing was changed; also any command that would"
            + " move a guest or settle a migration while the daemon, just started, settles those a crash left open."),
    ABORTED(4, "The migration was aborted (timeout policy, stalls, 'aoemigrate abort'); the guest runs on its source."),
    NO_DAEMON(5, "No daemon answers on the socket: start 'aoemigrate daemon --config FILE', or give --socket."),
    CONFIG(6, "The inventory (--config) cannot be read, or the daemon cannot start with it."),
    NOT_FOUND(7, "abort: no such migration is running; recover: no such open migration."),
    SOFTWARE(8, "The daemon or this command failed unexpectedly (a bug, or a broken connection): see the message."),
    INTERRUPTED(9, "The daemon went away mid-migration (killed, its host died): the guest may be on either host;"
            + " the daemon settles it when it starts again ('aoemigrate history' shows how), or run 'aoemigrate recover'.");

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
