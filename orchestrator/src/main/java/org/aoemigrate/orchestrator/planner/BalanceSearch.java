package org.aoemigrate.orchestrator.planner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * hbal's greedy search: take the single move that lowers the score most, apply it, repeat, until
 * no allowed move gains the minimum or the plan is full.
 *
 * <p>Weighing every guest against every host at every step costs guests × hosts score
 * evaluations (5 million for 10,000 guests on 500 hosts). Most of that is wasted: the moves that
 * gain are the ones off the hosts that pull the score up most. So each step first weighs only the
 * guests of the {@value #CANDIDATE_SOURCES} hosts with the highest pressure (how much the score
 * rises with their load, see {@link #sourcesByPressure}) against every host, and only when none of
 * those gains enough weighs every guest, so the search never stops while a good move is left.
 */
final class BalanceSearch {

    /** Hosts whose guests are weighed first at each step: enough that constraints rarely block them all. */
    static final int CANDIDATE_SOURCES = 16;

    private final Placement placement;
    private final PlannerSettings settings;
    private final boolean[] movable;
    private final int[] destinations;

    BalanceSearch(Cluster cluster, PlannerSettings settings) {
        this.placement = new Placement(cluster, settings);
        this.settings = settings;
        Instant holdSince = cluster.observedAt().minus(settings.holdTime());
        List<ObservedGuest> guests = cluster.guests();
        movable = new boolean[guests.size()];
        for (int g = 0; g < movable.length; g++) {
            ObservedGuest guest = guests.get(g);
            // a guest on a host in maintenance is the drain's business, not the balancer's
            movable[g] = guest.aoeDisksOnly() && !guest.pinned() && !guest.movedAfter(holdSince)
                    && placement.takesGuests(placement.hostOf(g));
        }
        destinations = IntStream.range(0, placement.hostCount()).filter(placement::takesGuests).toArray();
    }

    Plan run() {
        double scoreBefore = placement.score();
        List<Move> moves = new ArrayList<>();
        while (moves.size() < settings.maxMoves()) {
            int[] sources = hostsWithMovableGuests();
            int[] likely = sourcesByPressure(sources);
            Candidate best = bestMove(likely);
            if (best == null && likely.length < sources.length) {
                best = bestMove(sources);
            }
            if (best == null) {
                return new Plan(moves, scoreBefore, placement.score(), Plan.Stop.BALANCED);
            }
            moves.add(placement.move(best.guest, best.destination, reasonFor(best)));
            // one move per guest and plan: moving it twice is churn the plan could have avoided
            movable[best.guest] = false;
        }
        return new Plan(moves, scoreBefore, placement.score(), Plan.Stop.MAX_MOVES);
    }

    private record Candidate(int guest, int destination, double scoreAfter) {
    }

    /** The move of a guest on one of {@code sources} that lowers the score most, if by at least the minimum gain. */
    private Candidate bestMove(int[] sources) {
        double threshold = placement.score() - settings.minGain();
        Candidate best = null;
        for (int source : sources) {
            for (int i = 0; i < placement.residentCount(source); i++) {
                int g = placement.resident(source, i);
                if (!movable[g]) {
                    continue;
                }
                for (int to : destinations) {
                    if (to == source || !placement.hasRoom(g, to)) {
                        continue;
                    }
                    double after = placement.scoreAfter(g, to);
                    // the full check (CPU model, anti-affinity) only for a move that would win
                    if (after <= threshold && (best == null || after < best.scoreAfter) && placement.misfit(g, to) == null) {
                        best = new Candidate(g, to, after);
                    }
                }
            }
        }
        return best;
    }

    private int[] hostsWithMovableGuests() {
        return Arrays.stream(destinations).filter(h -> {
            for (int i = 0; i < placement.residentCount(h); i++) {
                if (movable[placement.resident(h, i)]) {
                    return true;
                }
            }
            return false;
        }).toArray();
    }

    /**
     * The {@value #CANDIDATE_SOURCES} hosts of {@code hosts} whose load raises the score most. The
     * score's derivative by one host's use x is w × (x − mean) / (n × σ) per quantity, so a host's
     * pressure is the sum over memory and CPU of w × (x − mean) / σ: how far above the mean it sits,
     * in deviations, weighted as the score weighs them.
     */
    private int[] sourcesByPressure(int[] hosts) {
        if (hosts.length <= CANDIDATE_SOURCES) {
            return hosts;
        }
        double memoryMean = Arrays.stream(destinations).mapToDouble(placement::memoryUse).average().orElse(0);
        double cpuMean = Arrays.stream(destinations).mapToDouble(placement::cpuUse).average().orElse(0);
        double memoryDeviation = placement.memoryDeviation();
        double cpuDeviation = placement.cpuDeviation();
        double[] pressure = new double[placement.hostCount()];
        for (int h : hosts) {
            pressure[h] = relative(placement.memoryUse(h) - memoryMean, memoryDeviation) * settings.memoryWeight()
                    + relative(placement.cpuUse(h) - cpuMean, cpuDeviation) * settings.cpuWeight();
        }
        return Arrays.stream(hosts).boxed()
                .sorted(Comparator.comparingDouble((Integer h) -> -pressure[h]).thenComparingInt(h -> h))
                .limit(CANDIDATE_SOURCES).mapToInt(Integer::intValue).toArray();
    }

    private static double relative(double offset, double deviation) {
        return deviation == 0 ? 0 : offset / deviation;
    }

    /** Which of the two spreads the move evens out more (weighted as in the score). */
    private MoveReason reasonFor(Candidate move) {
        double memoryGain = settings.memoryWeight() * (placement.memoryDeviation() - placement.memoryDeviationAfter(move.guest, move.destination));
        double cpuGain = settings.cpuWeight() * (placement.cpuDeviation() - placement.cpuDeviationAfter(move.guest, move.destination));
        return memoryGain >= cpuGain ? MoveReason.MEMORY_SPREAD : MoveReason.CPU_SPREAD;
    }
}
