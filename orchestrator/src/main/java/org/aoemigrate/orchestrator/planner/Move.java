package org.aoemigrate.orchestrator.planner;

import java.util.Objects;

/**
 * One live migration of a plan, with why it is there.
 *
 * @param guest        the guest to move
 * @param source       its host, with that host's use before and after the move
 * @param destination  where it goes, with that host's use before and after
 * @param scoreBefore  the cluster score before this move (after the plan's earlier moves)
 * @param scoreAfter   the cluster score after it; lower is better
 * @param reason       what the move is for
 */
public record Move(String guest, HostShift source, HostShift destination, double scoreBefore, double scoreAfter,
        MoveReason reason) {

    public Move {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(reason, "reason");
    }

    /** How much the move lowers the score (negative if it raises it, which only a drain may do). */
    public double gain() {
        return scoreBefore - scoreAfter;
    }

    /** One line an operator can read: what moves where, what it relieves, and the score. */
    public String why() {
        String purpose = switch (reason) {
            case MEMORY_SPREAD -> "evens out memory use";
            case CPU_SPREAD -> "evens out CPU use";
            case DRAIN -> "drains " + source.host();
        };
        return String.format("%s: %s -> %s; %s; score %.4f -> %.4f", guest, source, destination, purpose,
                scoreBefore, scoreAfter);
    }
}
