package org.aoemigrate.orchestrator.cli;

import java.io.PrintWriter;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.api.RecoverReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recover [ID]}: settle migrations a crash left open. */
@Command(name = "recover", description = {
    "Settles migrations that started and never ended (the daemon or its host died mid-migration): asks every host"
            + " where the guest is and in which state, then, if it is active on exactly one host, makes the disks"
            + " that host's alone, and resumes it if the move had paused it; the journal closes the migration as"
            + " 'recovered'. A guest active on two hosts (split brain) or on none is reported and nothing is touched:"
            + " the operator decides, then runs recover again. The daemon runs this at start for every open migration.",
    "Without ID: every open migration.",
    "Exit status 0: every migration looked at is settled (or none was open); 1: at least one needs the operator;"
            + " 7: ID names no open migration.",
    "JSON result: migrations [id, guest, source, destination, found, runs_on, settled, action].",
})
final class RecoverCommand extends AoemigrateSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID",
            description = "A migration id (m-...; see 'history') or a guest's name; default: every open migration.")
    String id;

    @Override
    protected ExitStatus execute() throws Exception {
        RecoverReport r = client().call(ApiRequest.recover(id), this::show).as(RecoverReport.class);
        if (json()) {
            printJson(r);
        } else {
            print(out(), r);
        }
        return r.allSettled() ? ExitStatus.OK : ExitStatus.FAILED;
    }

    /** Waiting for a libvirt job and split-brain alarms come as events: worth seeing while it runs. */
    private void show(ProgressReport e) {
        if (!json() && root.output.verbose) {
            err().println(AoemigrateCommand.PREFIX + e.guest() + ": " + e.kind().replace('_', ' ') + ": " + e.message());
        }
    }

    static void print(PrintWriter out, RecoverReport r) {
        if (r.migrations().isEmpty()) {
            out.println("no open migrations: nothing to recover");
        }
        for (RecoverReport.Item m : r.migrations()) {
            out.printf("%s  %s  %s -> %s: %s%n", m.id(), m.guest(), m.source() == null ? "?" : m.source(), m.destination(),
                    m.settled() ? "settled, " + (m.runsOn() == null ? "closed" : "runs on " + m.runsOn())
                            : "NOT settled, needs the operator");
            out.println("  found: " + m.found());
            out.println("  " + (m.settled() ? "done:  " : "to do: ") + m.action());
        }
    }
}
