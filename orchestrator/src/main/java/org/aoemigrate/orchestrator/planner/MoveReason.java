package org.aoemigrate.orchestrator.planner;

/** What a move is for. */
public enum MoveReason {
    /** Rebalancing; most of the gain comes from evening out memory use. */
    MEMORY_SPREAD,
    /** Rebalancing; most of the gain comes from evening out CPU use. */
    CPU_SPREAD,
    /** Leaving a host that is being drained. */
    DRAIN
}
