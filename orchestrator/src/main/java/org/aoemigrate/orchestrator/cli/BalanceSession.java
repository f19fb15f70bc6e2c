package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.api.RebalanceReport.MoveReport;

/**
 * One {@code drain} or {@code rebalance} request as the operator sees it: each move's milestones
 * on stderr while the run goes (every event with {@code -v}; nothing with {@code --json}), then the
 * plan with each move's outcome and a summary on stdout.
 */
final class BalanceSession {

    /** The events that tell where a move is; the rest (progress figures, reservations) only with -v. */
    private static final Set<String> MILESTONES = Set.of("started", "cutover", "finished", "refused", "failed", "aborted",
            "warning", "split_brain");

    private final AoemigrateSubcommand command;

    BalanceSession(AoemigrateSubcommand command) {
        this.command = command;
    }

    ExitStatus run(ApiRequest request) throws Exception {
        RebalanceReport r = command.client().call(request, this::show).as(RebalanceReport.class);
        if (command.json()) {
            command.printJson(r);
        } else {
            print(command.out(), r);
            if (r.reason() != null) {
                command.err().println(AoemigrateCommand.PREFIX + r.reason());
            }
        }
        return status(r);
    }

    private void show(ProgressReport e) {
        if (command.json() || (!MILESTONES.contains(e.kind()) && !command.root.output.verbose)) {
            return;
        }
        command.err().println(AoemigrateCommand.PREFIX + e.guest() + ": " + e.kind().replace('_', ' ')
                + (e.message().isEmpty() ? "" : ": " + e.message()));
        command.err().flush();
    }

    static ExitStatus status(RebalanceReport r) {
        return switch (r.outcome()) {
            case RebalanceReport.REFUSED -> ExitStatus.REFUSED;
            case RebalanceReport.FAILED -> ExitStatus.FAILED;
            default -> ExitStatus.OK;
        };
    }

    /** The plan, each move's outcome, and the summary; also one run of {@code history}. */
    static void print(PrintWriter out, RebalanceReport r) {
        String what = r.kind().equals("drain") ? "drain of " + r.host() : "rebalance";
        out.printf("%s %s (%s%s), %s: %s%n", what, r.id(), r.trigger(), r.dryRun() ? ", dry run" : "", r.startedAt(),
                r.outcome());
        r.warnings().forEach(w -> out.println("  warning: " + w));
        if (r.outcome().equals(RebalanceReport.REFUSED)) {
            out.println("  nothing moved: " + r.reason());
            return;
        }
        out.printf("  score %.4f -> %.4f (lower is more even)%s%n", r.scoreBefore(), r.scoreAfter(),
                r.stop() == null ? "" : r.stop().equals("balanced") ? "; no further move is worth it" : "; stopped at the move limit");
        if (r.moves().isEmpty()) {
            out.println("  no moves: " + (r.kind().equals("drain") ? r.host() + " runs no guest" : "the cluster is balanced"));
        }
        int i = 1;
        for (MoveReport m : r.moves()) {
            out.printf("  %d. %s %s -> %s  %s%s%n", i++, m.guest(), m.source(), m.destination(), m.outcome().replace('_', ' '),
                    m.migrationId() == null ? "" : " (" + m.migrationId() + ")");
            out.println("     why: " + m.why());
            if (m.detail() != null) {
                out.println("     " + m.detail());
            }
        }
        if (!r.dryRun()) {
            RebalanceReport.Summary s = r.summary();
            out.printf("  %d of %d move(s) succeeded, %d failed, %d not started%n", s.succeeded(), s.planned(), s.failed(),
                    s.notStarted());
        }
    }
}
