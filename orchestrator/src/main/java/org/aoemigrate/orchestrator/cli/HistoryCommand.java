package org.aoemigrate.orchestrator.cli;

import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.HistoryReport;
import picocli.CommandLine.Command;

/** {@code history}: the journal, and the rebalance and drain runs. */
@Command(name = "history", description = {
    "Lists every migration in the daemon's journal, oldest first: when, what moved where, how it ended; then every"
            + " rebalance and drain run (requested or scheduled) with its plan and what became of each move.",
    "JSON result: migrations [id, guest, source, destination, started_at, ended_at, last_step, open, detail],"
            + " runs [as the result of 'rebalance' and 'drain'].",
})
final class HistoryCommand extends AoemigrateSubcommand {

    @Override
    protected ExitStatus execute() throws Exception {
        HistoryReport r = client().call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class);
        if (json()) {
            printJson(r);
            return ExitStatus.OK;
        }
        if (r.migrations().isEmpty()) {
            out().println("no migrations in the journal yet");
        }
        for (HistoryReport.Item m : r.migrations()) {
            out().printf("%s  %s  %-8s %s -> %s  %s%s%n", m.startedAt(), m.id(), m.guest(),
                    m.source() == null ? "?" : m.source(), m.destination(), m.lastStep(),
                    (m.open() ? " (still open)" : "") + (m.detail().isEmpty() ? "" : ": " + m.detail()));
        }
        if (!r.runs().isEmpty()) {
            out().println("RUNS");
            r.runs().forEach(run -> BalanceSession.print(out(), run));
        }
        return ExitStatus.OK;
    }
}
