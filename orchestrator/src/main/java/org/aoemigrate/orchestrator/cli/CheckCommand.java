package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.CheckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code check VM HOST}: preflight only. */
@Command(name = "check", description = {
    "Runs the preflight checks of moving VM to HOST and changes nothing: where VM runs, the destination's maintenance,"
            + " limits, disks, libvirt, memory, CPU, networks, and the destination initiator's view of each disk.",
    "JSON result: guest, destination, passed, failed_check (null when passed), reason.",
})
final class CheckCommand extends AoemigrateSubcommand {

    @Mixin
    MigrationOptions migration;

    @Parameters(index = "0", paramLabel = "VM", description = "The guest (libvirt domain name).")
    String guest;

    @Parameters(index = "1", paramLabel = "HOST", description = "The inventory name of the destination.")
    String destination;

    @Override
    protected ExitStatus execute() throws Exception {
        CheckReport r = client().call(ApiRequest.check(guest, destination, migration.cutover()), CheckReport.class);
        if (json()) {
            printJson(r);
        } else if (r.passed()) {
            out().println(guest + " can move to " + destination + ": every preflight check passed");
        } else {
            err().println(AoemigrateCommand.PREFIX + guest + " cannot move to " + destination + ": preflight check '"
                    + r.failedCheck() + "' refused: " + r.reason());
        }
        return r.passed() ? ExitStatus.OK : ExitStatus.REFUSED;
    }
}
