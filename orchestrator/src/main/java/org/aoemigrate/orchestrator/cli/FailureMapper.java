package org.aoemigrate.orchestrator.cli;

import java.io.IOException;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.orchestrator.api.ApiError;
import org.aoemigrate.orchestrator.api.ApiException;
import org.aoemigrate.orchestrator.api.DaemonUnavailableException;
import org.aoemigrate.orchestrator.inventory.InventoryException;

/** The one place where what a command throws becomes a message and an exit status. */
final class FailureMapper {

    private FailureMapper() {
    }

    static CommandFailure map(Exception e) {
        if (e instanceof CommandFailure f) {
            return f;
        }
        if (e instanceof DaemonUnavailableException d) {
            return new CommandFailure(ExitStatus.NO_DAEMON, d.getMessage(), d);
        }
        if (e instanceof InventoryException i) {
            return new CommandFailure(ExitStatus.CONFIG, i.getMessage(), i);
        }
        if (e instanceof ApiException a) {
            ExitStatus s = switch (a.code()) {
                case ApiError.NOT_FOUND -> ExitStatus.NOT_FOUND;
                case ApiError.RECOVERING -> ExitStatus.REFUSED;
                case ApiError.BAD_REQUEST -> ExitStatus.USAGE;
                default -> ExitStatus.SOFTWARE;
            };
            return new CommandFailure(s, "the daemon says: " + a.getMessage(), a);
        }
        if (e instanceof IOException io) {
            return new CommandFailure(ExitStatus.SOFTWARE, io.getMessage(), io);
        }
        return new CommandFailure(ExitStatus.SOFTWARE, e.toString(), e);
    }
}
