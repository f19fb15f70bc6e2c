package org.aoemigrate.orchestrator.planner;

import java.util.List;

/**
 * A rebalancing plan: moves to run in order (each was chosen on the cluster as the earlier ones
 * leave it), the score before and after, and why the search stopped.
 */
public record Plan(List<Move> moves, double scoreBefore, double scoreAfter, Stop stop) {

    /** Why the search made no further move. */
    public enum Stop {
        /** No allowed move lowers the score by at least the minimum gain: the cluster is as even as it gets. */
        BALANCED,
        /** The plan has {@link PlannerSettings#maxMoves()} moves. */
        MAX_MOVES
    }

    public Plan {
        moves = List.copyOf(moves);
    }
}
