package org.aoemigrate.orchestrator.engine;

/** How a migration ended. */
public enum MigrationOutcome {
    /** The guest runs on the destination, is gone from the source, and only the destination may write its disks. */
    SUCCEEDED,
    /** A preflight check said no; nothing changed. */
    REFUSED,
    /** Stopped on purpose (timeout policy, stalls, the operator); the guest runs on the source, which alone may write. */
    ABORTED,
    /** Something broke; the result's reason says where the guest is and what the reservation is. */
    FAILED
}
