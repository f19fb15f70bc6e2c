package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.ApiRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code drain HOST}: maintenance, and every guest off the host. */
@Command(name = "drain", description = {
    "Puts HOST in maintenance (no guest may move onto it; kept in the daemon's state directory until 'undrain',"
            + " across restarts) and live-migrates every guest off it, the planner choosing each destination, within"
            + " the migration limits (a new move as soon as a slot frees). If the other hosts cannot hold all of its"
            + " guests (memory, CPU, anti-affinity, pinned guests, disks not on AoE), nothing moves and HOST's"
            + " maintenance stays as it was.",
    "Exit status 0: every guest left HOST (or it had none); 1: a move did not succeed (HOST stays in maintenance);"
            + " 2: no such host; 3: refused, nothing moved (the reason names the guest that cannot go).",
    "JSON result: as 'rebalance', with kind drain and host HOST; stop is null.",
})
final class DrainCommand extends AoemigrateSubcommand {

    @Parameters(index = "0", paramLabel = "HOST", description = "The inventory name of the host to empty.")
    String host;

    @Override
    protected ExitStatus execute() throws Exception {
        return new BalanceSession(this).run(ApiRequest.drain(host));
    }
}
