package org.aoemigrate.orchestrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code migrate VM HOST}: the long form of {@code aoemigrate VM HOST}. */
@Command(name = "migrate", description = {
    "Live-migrates guest VM to HOST through the daemon, and waits for the end: preflight, reservation of the disks"
            + " to both hosts, the copy (progress bar on a terminal), cutover and fence, verification.",
    "If this command is interrupted, the migration goes on in the daemon ('status' shows it, 'abort' stops it).",
    "JSON result: id, guest, source, destination, outcome (succeeded, refused, aborted, failed), reason,"
            + " failed_check, cutover, total_ms, downtime_ms, bytes, iterations, max_downtime_ms.",
})
final class MigrateCommand extends AoemigrateSubcommand {

    @Mixin
    MigrationOptions migration;

    @Parameters(index = "0", paramLabel = "VM", description = "The guest (libvirt domain name) to move.")
    String guest;

    @Parameters(index = "1", paramLabel = "HOST", description = "The inventory name of the destination.")
    String destination;

    @Override
    protected ExitStatus execute() throws Exception {
        return new MigrationSession(root, out(), err()).migrate(guest, destination, migration.cutover());
    }
}
