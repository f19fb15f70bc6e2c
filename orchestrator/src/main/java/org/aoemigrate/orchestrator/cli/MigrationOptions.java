package org.aoemigrate.orchestrator.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/** What a migration request may override of the inventory's policy. */
public final class MigrationOptions {

    /** How the disks change owner; see CutoverMode in the inventory. */
    enum Cutover { FAST, FENCED }

    @Option(names = "--cutover", paramLabel = "MODE",
            description = "fast (resume on the destination, then fence the source) or fenced (fence while the guest"
                    + " is paused, then resume). Default: the inventory's policy.cutover.")
    Cutover cutover;

    /** The wire word, or null to keep the inventory's. */
    String cutover() {
        return cutover == null ? null : cutover.name().toLowerCase(Locale.ROOT);
    }
}
