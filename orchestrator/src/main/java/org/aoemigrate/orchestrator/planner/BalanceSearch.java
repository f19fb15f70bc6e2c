package org.aoemigrate.orchestrator.planner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * hbal's greedy search: take the single move that lowers the score most, apply it, repeat, until
 * no allowed move gains the minimum or the plan is full.
 *
 * <p>Weighing every guest against every host at every step would cost guests × hosts score
 * evaluations (5 million for 10,000 guests on 500 hosts), at every one of hundreds of steps. Two
 * things cut that down without losing a move:
 * <ul>
 * <li><b>Bound per hardware class.</b> Among destinations of one size (memory and CPUs), the score
 * after a move rises with the destination's memory use and with its CPU use. So each class's hosts
 * are scanned by memory use, lowest first, and the scan stops as soon as a lower bound (this host's
 * memory use with the lowest CPU use still ahead) cannot beat the best move found: usually after
 * a few hosts per class.</li>
 * <li><b>Likely sources first.</b> Each step weighs the guests of the {@value #CANDIDATE_SOURCES}
 * hosts of highest pressure ({@link #highestPressure}) first, and every guest only when none of those
 * moves gains enough, so the search never stops while a good move is left.</li>
 * </ul>
 */
final class BalanceSearch {

    /** Hosts whose guests are weighed first at each step. */
    static final int CANDIDATE_SOURCES = 16;

    private final Placement placement;
    private final PlannerSettings settings;
    private final boolean[] movable;
    private final int[] movableOn;
    private final int[] destinations;
    /** The hosts that take guests, grouped by size (memory for guests and CPUs). */
    private final int[][] classes;

    BalanceSearch(Cluster cluster, PlannerSettings settings) {
        this.placement = new Placement(cluster, settings);
        this.settings = settings;
        Instant holdSince = cluster.observedAt().minus(settings.holdTime());
        List<ObservedGuest> guests = cluster.guests();
        movable = new boolean[guests.size()];
        movableOn = new int[placement.hostCount()];
        for (int g = 0; g < movable.length; g++) {
            ObservedGuest guest = guests.get(g);
            // a guest on a host in maintenance is the drain's business, not the balancer's
            movable[g] = guest.aoeDisksOnly() && !guest.pinned() && !guest.movedAfter(holdSince)
                    && placement.takesGuests(placement.hostOf(g));
            if (movable[g]) {
                movableOn[placement.hostOf(g)]++;
            }
        }
        destinations = IntStream.range(0, placement.hostCount()).filter(placement::takesGuests).toArray();
        Map<List<Long>, List<Integer>> bySize = new LinkedHashMap<>();
        for (int h : destinations) {
            ObservedHost host = placement.host(h);
            bySize.computeIfAbsent(List.of(host.memoryBytes(), (long) host.cpus()), k -> new ArrayList<>()).add(h);
        }
        classes = bySize.values().stream().map(c -> c.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    Plan run() {
        double scoreBefore = placement.score();
        List<Move> moves = new ArrayList<>();
        while (moves.size() < settings.maxMoves()) {
            Scan scan = new Scan();
            int[] sources = Arrays.stream(destinations).filter(h -> movableOn[h] > 0).toArray();
            int[] likely = highestPressure(sources, CANDIDATE_SOURCES);
            Candidate best = scan.bestMove(likely);
            if (best == null && likely.length < sources.length) {
                best = scan.bestMove(sources);
            }
            if (best == null) {
                return new Plan(moves, scoreBefore, placement.score(), Plan.Stop.BALANCED);
            }
            MoveReason reason = reasonFor(best);
            movableOn[placement.hostOf(best.guest)]--;
            // one move per guest and plan: moving it twice is churn the plan could have avoided
            movable[best.guest] = false;
            moves.add(placement.move(best.guest, best.destination, reason));
        }
        return new Plan(moves, scoreBefore, placement.score(), Plan.Stop.MAX_MOVES);
    }

    private record Candidate(int guest, int destination, double scoreAfter) {
    }

    /**
     * One step's view: each class's hosts by memory use (kept in {@link #classes}: a move changes
     * two hosts, so an insertion sort puts them back in place in about one pass), and the lowest
     * CPU use from each position on.
     */
    private final class Scan {

        private final double[][] lowestCpuFrom = new double[classes.length][];

        Scan() {
            for (int c = 0; c < classes.length; c++) {
                int[] order = classes[c];
                sortByMemoryUse(order);
                double[] lowest = new double[order.length];
                double min = Double.POSITIVE_INFINITY;
                for (int i = order.length - 1; i >= 0; i--) {
                    min = Math.min(min, placement.cpuUse(order[i]));
                    lowest[i] = min;
                }
                lowestCpuFrom[c] = lowest;
            }
        }

        /** The move of a guest on one of {@code sources} that lowers the score most, if by at least the minimum gain. */
        Candidate bestMove(int[] sources) {
            double threshold = placement.score() - settings.minGain();
            Candidate best = null;
            for (int source : sources) {
                for (int i = 0; i < placement.residentCount(source); i++) {
                    int g = placement.resident(source, i);
                    if (!movable[g]) {
                        continue;
                    }
                    for (int c = 0; c < classes.length; c++) {
                        best = bestInClass(g, c, threshold, best);
                    }
                }
            }
            return best;
        }

        private Candidate bestInClass(int g, int c, double threshold, Candidate best) {
            int[] order = classes[c];
            for (int i = 0; i < order.length; i++) {
                int to = order[i];
                double limit = best == null ? threshold : best.scoreAfter;
                double memory = settings.memoryWeight() * placement.memoryDeviationAfter(g, to);
                // no host from here on can score below this: their memory use is no lower, their CPU use no lower than the bound's
                if (memory + settings.cpuWeight() * placement.cpuDeviationAfter(g, to, lowestCpuFrom[c][i]) > limit) {
                    break;
                }
                if (to == placement.hostOf(g) || !placement.hasRoom(g, to)) {
                    continue;
                }
                double after = memory + settings.cpuWeight() * placement.cpuDeviationAfter(g, to);
                // the full check (CPU model, anti-affinity) only for a move that would win
                if (after <= limit && (best == null || after < best.scoreAfter) && placement.misfit(g, to) == null) {
                    best = new Candidate(g, to, after);
                }
            }
            return best;
        }
    }

    /** Sorts {@code hosts} by memory use, then by number; fast when they are nearly in order already. */
    private void sortByMemoryUse(int[] hosts) {
        for (int i = 1; i < hosts.length; i++) {
            int host = hosts[i];
            double use = placement.memoryUse(host);
            int j = i - 1;
            while (j >= 0 && (placement.memoryUse(hosts[j]) > use || placement.memoryUse(hosts[j]) == use && hosts[j] > host)) {
                hosts[j + 1] = hosts[j];
                j--;
            }
            hosts[j + 1] = host;
        }
    }

    /**
     * The {@code count} of {@code hosts} with the highest pressure. The score's derivative by one
     * host's use x is w × (x − mean) / (n × σ) per quantity, so a host's pressure is the sum over
     * memory and CPU of w × (x − mean) / σ: how far above the mean it sits, in deviations, weighted
     * as the score weighs them. Load off a high-pressure host lowers the score most.
     */
    private int[] highestPressure(int[] hosts, int count) {
        if (hosts.length <= count) {
            return hosts;
        }
        double memoryMean = Arrays.stream(destinations).mapToDouble(placement::memoryUse).average().orElse(0);
        double cpuMean = Arrays.stream(destinations).mapToDouble(placement::cpuUse).average().orElse(0);
        double memoryDeviation = placement.memoryDeviation();
        double cpuDeviation = placement.cpuDeviation();
        // the best so far, highest first: a host enters by insertion, the lowest drops out
        int[] chosen = new int[count];
        double[] pressure = new double[count];
        int size = 0;
        for (int h : hosts) {
            double p = relative(placement.memoryUse(h) - memoryMean, memoryDeviation) * settings.memoryWeight()
                    + relative(placement.cpuUse(h) - cpuMean, cpuDeviation) * settings.cpuWeight();
            if (size == count && p <= pressure[count - 1]) {
                continue;
            }
            int i = size == count ? count - 1 : size++;
            while (i > 0 && pressure[i - 1] < p) {
                chosen[i] = chosen[i - 1];
                pressure[i] = pressure[i - 1];
                i--;
            }
            chosen[i] = h;
            pressure[i] = p;
        }
        return chosen;
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
