package org.aoemigrate.orchestrator.journal;

/** The steps of one migration, in the order they happen; the last five end it. */
public enum JournalStep {
    STARTED,
    PREFLIGHT_OK,
    /** Each export reserved to {source, destination}. */
    RESERVED,
    MIGRATING,
    /** The guest runs (or, fenced, is about to run) on the destination; reservation {destination}. */
    CUTOVER,
    VERIFIED,
    FINISHED,
    FAILED,
    ABORTED,
    /** Preflight said no; nothing changed. */
    REFUSED,
    /** {@code recover} settled a migration a crash had left open: the detail says where the guest runs. */
    RECOVERED;

    /** True for the steps after which nothing more is written for that migration. */
    public boolean ends() {
        return this == FINISHED || this == FAILED || this == ABORTED || this == REFUSED || this == RECOVERED;
    }
}
