package org.aoemigrate.orchestrator.api;

import java.util.List;

/**
 * The result of {@code rebalance} and {@code drain}: the plan and, unless it was a dry run, what
 * became of each move. History's {@code runs} are these too.
 *
 * @param id          {@code r-} and 8 hex digits
 * @param kind        {@code rebalance} or {@code drain}
 * @param trigger     {@code request} (a command) or {@code schedule} (the daemon's own run)
 * @param host        drain: the host drained; rebalance: null
 * @param outcome     {@code planned} (a dry run: nothing moved), {@code succeeded} (every move
 *                    succeeded, or none was needed), {@code failed} (a move did not succeed; the
 *                    moves say which), {@code refused} (nothing moved; {@code reason} says why)
 * @param reason      for refused and failed: why, in one sentence; otherwise null
 * @param scoreBefore the cluster score before the first move (0 is perfectly even; lower is better)
 * @param scoreAfter  the score the plan leads to
 * @param stop        rebalance: why the plan has no more moves, {@code balanced} or {@code max_moves};
 *                    drain: null
 * @param warnings    what the operator should know (a host left out because its libvirt did not answer)
 */
public record RebalanceReport(String id, String kind, String trigger, String host, boolean dryRun, String startedAt,
        String endedAt, String outcome, String reason, double scoreBefore, double scoreAfter, String stop,
        List<MoveReport> moves, Summary summary, List<String> warnings) {

    public static final String PLANNED = "planned";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    public RebalanceReport {
        moves = List.copyOf(moves);
        warnings = List.copyOf(warnings);
    }

    /**
     * One move of the plan.
     *
     * @param reason      {@code memory_spread}, {@code cpu_spread} or {@code drain}
     * @param why         one line: what moves where, each host's memory and CPU use before and after, the score
     * @param outcome     {@code planned} (dry run), {@code succeeded}, {@code refused}, {@code aborted},
     *                    {@code failed}, or {@code not_started} (the run stopped before it)
     * @param migrationId the engine's migration id ({@code m-...}), in the journal; null if it did not start
     * @param detail      the migration's reason when it did not succeed; otherwise null
     */
    public record MoveReport(String guest, String source, String destination, String reason, String why,
            double scoreBefore, double scoreAfter, String outcome, String migrationId, String detail) {
    }

    /** How many moves were planned, and how they ended. */
    public record Summary(int planned, int succeeded, int failed, int notStarted) {
    }
}
