package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.MaintenanceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code undrain HOST}: end a drain's maintenance. */
@Command(name = "undrain", description = {
    "Ends the maintenance 'drain' began: HOST takes guests again. Nothing moves by itself; 'rebalance' moves some back."
            + " A host the inventory puts in maintenance ('maintenance: true') stays so.",
    "Exit status 0: the daemon answered (see 'maintenance' for the state now); 2: no such host.",
    "JSON result: host, maintenance, changed, detail.",
})
final class UndrainCommand extends AoemigrateSubcommand {

    @Parameters(index = "0", paramLabel = "HOST", description = "The inventory name of the host.")
    String host;

    @Override
    protected ExitStatus execute() throws Exception {
        MaintenanceReport r = client().call(ApiRequest.undrain(host), MaintenanceReport.class);
        if (json()) {
            printJson(r);
        } else {
            out().println(r.detail());
        }
        return ExitStatus.OK;
    }
}
