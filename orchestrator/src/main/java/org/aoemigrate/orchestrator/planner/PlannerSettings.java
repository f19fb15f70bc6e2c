package org.aoemigrate.orchestrator.planner;

import java.time.Duration;
import java.util.Objects;

/**
 * What the planner balances and within which limits.
 *
 * <p><b>Score.</b> The cluster score is {@code memoryWeight × σ(memory use) + cpuWeight × σ(CPU use)},
 * where σ is the standard deviation over the hosts that take guests (not in maintenance) of each
 * host's use as a fraction of its capacity: Ganeti hbal's score, reduced to the two quantities a
 * live migration moves. 0 is a perfectly even cluster; 0.1 means hosts typically sit about 10
 * points of use away from the mean. Memory weighs 1 and CPU 0.5 by default: memory is allocated
 * and exact, and a host short of it swaps or kills guests, while CPU use is a recent average that
 * changes by itself and a host short of it only slows down, so the planner should not move a guest
 * for CPU alone as readily as for memory.
 *
 * @param memoryWeight    weight of the spread of memory use
 * @param cpuWeight       weight of the spread of CPU use
 * @param minGain         a move must lower the score by at least this much, or it is not worth a
 *                        live migration (hbal's {@code -g}). One move changes the spread over n
 *                        hosts by about 1/n of the two hosts' change, so the default 0.001 suits
 *                        clusters of up to some tens of hosts; for hundreds, use about 0.0001
 * @param maxMoves        at most this many moves in one plan
 * @param memoryHeadroom  fraction of a destination's guest memory that must stay free after a move
 * @param cpuHeadroom     fraction of a destination's CPUs that must stay idle after a move (by
 *                        recent use)
 * @param maxVcpusPerCpu  at most this many vCPUs per CPU on a destination after a move (16, like
 *                        Nova's default CPU allocation ratio)
 * @param holdTime        a guest that moved less than this long before the observation is not moved
 *                        by a rebalance (a drain moves it anyway: the operator asked for it)
 */
public record PlannerSettings(double memoryWeight, double cpuWeight, double minGain, int maxMoves,
        double memoryHeadroom, double cpuHeadroom, double maxVcpusPerCpu, Duration holdTime) {

    public PlannerSettings {
        Objects.requireNonNull(holdTime, "holdTime");
        requireAtLeast("memoryWeight", memoryWeight, 0);
        requireAtLeast("cpuWeight", cpuWeight, 0);
        if (memoryWeight + cpuWeight == 0) {
            throw new IllegalArgumentException("memoryWeight and cpuWeight are both 0: nothing to balance");
        }
        if (!(minGain > 0)) {
            throw new IllegalArgumentException("minGain must be positive (a move must improve the score), not " + minGain);
        }
        if (maxMoves < 0) {
            throw new IllegalArgumentException("maxMoves must be 0 or more, not " + maxMoves);
        }
        requireFraction("memoryHeadroom", memoryHeadroom);
        requireFraction("cpuHeadroom", cpuHeadroom);
        if (!(maxVcpusPerCpu > 0)) {
            throw new IllegalArgumentException("maxVcpusPerCpu must be positive, not " + maxVcpusPerCpu);
        }
        if (holdTime.isNegative()) {
            throw new IllegalArgumentException("holdTime must not be negative, not " + holdTime);
        }
    }

    /** Memory 1, CPU 0.5, minimum gain 0.001, 20 moves, 10 % memory and CPU headroom, 16 vCPUs per CPU, 1 h hold. */
    public static PlannerSettings defaults() {
        return new PlannerSettings(1.0, 0.5, 0.001, 20, 0.10, 0.10, 16, Duration.ofHours(1));
    }

    public PlannerSettings withMaxMoves(int moves) {
        return new PlannerSettings(memoryWeight, cpuWeight, minGain, moves, memoryHeadroom, cpuHeadroom, maxVcpusPerCpu, holdTime);
    }

    public PlannerSettings withMinGain(double gain) {
        return new PlannerSettings(memoryWeight, cpuWeight, gain, maxMoves, memoryHeadroom, cpuHeadroom, maxVcpusPerCpu, holdTime);
    }

    public PlannerSettings withHoldTime(Duration hold) {
        return new PlannerSettings(memoryWeight, cpuWeight, minGain, maxMoves, memoryHeadroom, cpuHeadroom, maxVcpusPerCpu, hold);
    }

    public PlannerSettings withHeadroom(double memory, double cpu) {
        return new PlannerSettings(memoryWeight, cpuWeight, minGain, maxMoves, memory, cpu, maxVcpusPerCpu, holdTime);
    }

    private static void requireAtLeast(String name, double value, double least) {
        if (!(value >= least) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= " + least + ", not " + value);
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be a fraction in [0, 1), not " + value);
        }
    }
}
