package org.aoemigrate.orchestrator.planner;

import java.util.List;

/**
 * Where every guest of a drained host goes. The scores are over the hosts that keep taking guests
 * (the drained host left out), before the first move and after the last.
 */
public record DrainPlan(String host, List<Move> moves, double scoreBefore, double scoreAfter) {

    public DrainPlan {
        moves = List.copyOf(moves);
    }
}
