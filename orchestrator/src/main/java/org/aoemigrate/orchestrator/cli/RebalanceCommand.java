package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.ApiRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rebalance}: even out the cluster. */
@Command(name = "rebalance", description = {
    "Observes every host and guest (memory, CPUs, recent CPU use), plans the moves that even out memory and CPU use"
            + " across the hosts (each move and why, the score before and after; 0 is perfectly even) and, unless"
            + " --dry-run, makes them through the daemon: within the migration limits, a new move as soon as a slot"
            + " frees. Hosts in maintenance take nothing; pinned guests, guests moved within the hold time and guests"
            + " with a disk that is not on AoE stay put.",
    "Exit status 0: the plan was made (dry run) or every move succeeded; 1: a move did not; 3: nothing moved"
            + " (another rebalance or drain runs, or the cluster cannot be planned on).",
    "JSON result: id, kind (rebalance), trigger, host, dry_run, started_at, ended_at, outcome (planned, succeeded,"
            + " failed, refused), reason, score_before, score_after, stop (balanced, max_moves), moves [guest, source,"
            + " destination, reason, why, score_before, score_after, outcome, migration_id, detail], summary [planned,"
            + " succeeded, failed, not_started], warnings.",
})
final class RebalanceCommand extends AoemigrateSubcommand {

    @Option(names = "--dry-run", description = "Print the plan; move nothing.")
    boolean dryRun;

    @Option(names = "--max-moves", paramLabel = "N", description = "At most N moves (default: the planner's, 20).")
    Integer maxMoves;

    @Override
    protected ExitStatus execute() throws Exception {
        if (maxMoves != null && maxMoves < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--max-moves must be 0 or more, not "
                    + maxMoves);
        }
        return new BalanceSession(this).run(ApiRequest.rebalance(dryRun, maxMoves));
    }
}
