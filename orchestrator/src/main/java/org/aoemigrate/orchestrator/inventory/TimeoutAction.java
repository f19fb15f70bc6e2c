package org.aoemigrate.orchestrator.inventory;

/** What happens when a migration runs out of time or out of downtime steps. */
public enum TimeoutAction {
    /** Abort: the guest keeps running on the source (Nova's and oVirt's default). */
    ABORT,
    /** Pause the guest on the source so the copy must finish; downtime grows, the move completes. */
    PAUSE
}
