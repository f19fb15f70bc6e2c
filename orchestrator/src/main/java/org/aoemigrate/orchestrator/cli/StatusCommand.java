package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.StatusReport;
import picocli.CommandLine.Command;

/** {@code status}: hosts, guests, exports, migrations in flight. */
@Command(name = "status", description = {
    "Shows every host (reachable, maintenance, its guests and their state), every export (who may write it) and"
            + " the migrations in flight, as the daemon sees them now.",
    "JSON result: hosts [name, reachable, maintenance, error, guests [name, state]], exports (as 'exports'),"
            + " migrations [id, guest, source, destination], recovering (as 'migrations': those the daemon settles since"
            + " it started; no move starts until it is empty).",
})
final class StatusCommand extends AoemigrateSubcommand {

    @Override
    protected ExitStatus execute() throws Exception {
        StatusReport r = client().call(ApiRequest.of(ApiRequest.Op.STATUS), StatusReport.class);
        if (json()) {
            printJson(r);
            return ExitStatus.OK;
        }
        PrintWriter out = out();
        out.println("HOSTS");
        for (StatusReport.HostStatus h : r.hosts()) {
            String state = h.reachable() ? "up" : "UNREACHABLE (" + h.error() + ")";
            String guests = h.guests().isEmpty() ? "no guests" : h.guests().stream()
                    .map(g -> g.name() + " (" + g.state().replace('_', ' ') + ")").collect(Collectors.joining(", "));
            out.printf("  %-10s %s%s: %s%n", h.name(), state, h.maintenance() ? ", maintenance" : "", guests);
        }
        out.println("EXPORTS");
        ExportsCommand.printExports(out, r.exports());
        out.println("MIGRATIONS IN FLIGHT");
        if (r.migrations().isEmpty()) {
            out.println("  none");
        }
        printMigrations(out, r.migrations());
        if (!r.recovering().isEmpty()) {
            out.println("RECOVERING (the daemon settles what its last run left open; no move starts until it has)");
            printMigrations(out, r.recovering());
        }
        return ExitStatus.OK;
    }

    /** One line a migration; a source the journal never named (one being recovered) shows as '?'. */
    private static void printMigrations(PrintWriter out, List<StatusReport.ActiveMigration> migrations) {
        for (StatusReport.ActiveMigration m : migrations) {
            out.printf("  %s  %s  %s -> %s%n", m.id(), m.guest(), m.source() == null ? "?" : m.source(), m.destination());
        }
    }
}
