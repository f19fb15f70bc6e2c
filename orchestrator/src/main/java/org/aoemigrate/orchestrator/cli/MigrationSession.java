package org.aoemigrate.orchestrator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.DaemonUnavailableException;
import org.aoemigrate.orchestrator.api.MigrationReport;
import org.aoemigrate.orchestrator.api.ProgressReport;

/**
 * One {@code migrate} request as the operator sees it: events on stderr while it runs (a progress
 * bar on a terminal; milestones as lines; nothing with {@code --json}), then the result.
 */
final class MigrationSession {

    private final AoemigrateCommand root;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ProgressBar bar;
    /** The last milestone the daemon sent (progress figures aside): the migration's id and how far it got. */
    private ProgressReport last;

    MigrationSession(AoemigrateCommand root, PrintWriter out, PrintWriter err) {
        this.root = root;
        this.out = out;
        this.err = err;
        this.bar = new ProgressBar(err);
    }

    ExitStatus migrate(String guest, String destination, String cutover) throws Exception {
        MigrationReport r;
        try {
            r = root.client.client().call(ApiRequest.migrate(guest, destination, cutover), this::show)
                    .as(MigrationReport.class);
        } catch (DaemonUnavailableException e) {
            throw e;
        } catch (IOException e) {
            bar.clear();
            throw interrupted(guest, destination, e);
        }
        bar.clear();
        if (root.output.json) {
            Json.print(out, r);
        } else {
            report(r);
        }
        return status(r);
    }

    /**
     * The daemon's socket closed before the result (the daemon was killed, or its host died). Once
     * the migration had started, the operator must hear that the guest may be on either host.
     */
    private CommandFailure interrupted(String guest, String destination, IOException e) {
        if (last == null) {
            return new CommandFailure(ExitStatus.SOFTWARE, e.getMessage(), e);
        }
        return new CommandFailure(ExitStatus.INTERRUPTED, "migration " + last.id() + " of " + guest + " to " + destination
                + " was cut off: the daemon went away after '" + last.kind().replace('_', ' ') + "' (" + e.getMessage()
                + "). libvirt may finish or fail the copy on its own, so " + guest + " may run on its source or on "
                + destination + ", and both may write its disks until it is settled: the daemon settles it when it starts"
                + " again ('aoemigrate history' shows the outcome), or run 'aoemigrate recover " + last.id() + "'", e);
    }

    private void show(ProgressReport e) {
        if (last == null || !ProgressReport.PROGRESS.equals(e.kind())) {
            last = e;
        }
        if (root.output.json) {
            return;
        }
        if (ProgressReport.PROGRESS.equals(e.kind()) && e.job() != null) {
            if (root.terminal()) {
                bar.update(e.job());
            } else if (root.output.verbose) {
                err.println(AoemigrateCommand.PREFIX + e.guest() + ": " + bar.next(e.job()));
            }
            return;
        }
        bar.clear();
        err.println(AoemigrateCommand.PREFIX + e.guest() + ": " + e.kind().replace('_', ' ') + (e.message().isEmpty() ? ""
                : ": " + e.message()));
        err.flush();
    }

    private void report(MigrationReport r) {
        switch (r.outcome()) {
            case MigrationReport.SUCCEEDED -> out.println(r.guest() + " moved from " + r.source() + " to " + r.destination()
                    + " in " + Units.seconds(r.totalMs()) + ": downtime " + r.downtimeMs() + " ms, " + Units.bytes(r.bytes())
                    + " sent in " + r.iterations() + " iteration(s), cutover " + r.cutover() + " (migration " + r.id() + ")");
            case MigrationReport.REFUSED -> err.println(AoemigrateCommand.PREFIX + r.guest() + " not moved, nothing changed:"
                    + " preflight check '" + r.failedCheck() + "' refused: " + r.reason());
            case MigrationReport.ABORTED -> err.println(AoemigrateCommand.PREFIX + r.guest() + " not moved: migration "
                    + r.id() + " aborted: " + r.reason());
            default -> err.println(AoemigrateCommand.PREFIX + "migration " + r.id() + " of " + r.guest() + " failed: "
                    + r.reason());
        }
    }

    static ExitStatus status(MigrationReport r) {
        return switch (r.outcome()) {
            case MigrationReport.SUCCEEDED -> ExitStatus.OK;
            case MigrationReport.REFUSED -> ExitStatus.REFUSED;
            case MigrationReport.ABORTED -> ExitStatus.ABORTED;
            default -> ExitStatus.FAILED;
        };
    }
}
