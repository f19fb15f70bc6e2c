package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import org.aoemigrate.aoe.initiator.AoeErrorException;
import org.aoemigrate.aoe.initiator.AoeTimeoutException;
import org.aoemigrate.aoe.initiator.MaskEditException;
import org.aoemigrate.aoe.link.LinkSyscallException;
import org.aoemigrate.cli.CommandFailure;

/**
 * The one place that turns what a command threw into an exit status and a one-line message:
 * the library's exceptions already name the device and the operation, so their messages are
 * printed as they are.
 */
final class FailureMapper {

    private FailureMapper() {
    }

    /** The failure to report for {@code e}; {@link ExitStatus#SOFTWARE} for anything unforeseen. */
    static CommandFailure map(Throwable e) {
        if (e instanceof CommandFailure f) {
            return f;
        }
        if (e instanceof LinkSyscallException link) {
            ExitStatus status = "EPERM".equals(link.errnoName()) || "EACCES".equals(link.errnoName())
                    ? ExitStatus.PERMISSION : ExitStatus.NETWORK;
            return new CommandFailure(status, link.getMessage(), link);
        }
        if (e instanceof AoeTimeoutException) {
            return new CommandFailure(ExitStatus.NO_ANSWER, e.getMessage(), e);
        }
        if (e instanceof AoeErrorException || e instanceof MaskEditException) {
            return new CommandFailure(ExitStatus.REFUSED, e.getMessage(), e);
        }
        if (e instanceof IOException) {
            return new CommandFailure(ExitStatus.IO_ERROR, e.getMessage(), e);
        }
        if (e instanceof IllegalArgumentException) {
            // the library validates arguments (whole sectors, address ranges) with messages meant for users
            return new CommandFailure(ExitStatus.USAGE, e.getMessage(), e);
        }
        return new CommandFailure(ExitStatus.SOFTWARE, "unexpected failure, please report it: " + e, e);
    }
}
