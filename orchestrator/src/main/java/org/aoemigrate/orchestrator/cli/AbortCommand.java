package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.AbortReport;
import org.aoemigrate.orchestrator.api.ApiRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code abort ID}. */
@Command(name = "abort", description = {
    "Asks a running migration to abort: it stops at its next poll, the guest stays on (or goes back to) its source,"
            + " which alone may write the disks. The migrating client sees the end as 'aborted'.",
    "JSON result: id, requested.",
})
final class AbortCommand extends AoemigrateSubcommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The migration id (m-...; see 'status') or the guest's name.")
    String id;

    @Override
    protected ExitStatus execute() throws Exception {
        AbortReport r = client().call(ApiRequest.abort(id), AbortReport.class);
        if (json()) {
            printJson(r);
        } else {
            out().println("asked migration " + r.id() + " to abort; it stops at its next poll");
        }
        return ExitStatus.OK;
    }
}
