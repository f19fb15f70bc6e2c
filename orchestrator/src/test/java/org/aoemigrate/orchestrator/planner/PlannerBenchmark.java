package org.aoemigrate.orchestrator.planner;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

/**
 * The planner on a large random cluster ({@link RandomClusters#large}): plan time, heap and the
 * score before and after. Not a test: {@code bench/planner.sh} runs it with {@code -Xmx512m}, so a
 * plan that needed more heap would fail instead of passing unnoticed.
 *
 * <p>Two plans: a scheduled run (at most 20 moves, each gaining at least 0.0001: one move in a
 * cluster of 500 hosts changes the spread about a fiftieth as much as in one of 10), and a plan to
 * convergence (any move that gains 0.00001, no limit on moves), the worst case for time. Wall time on a shared machine depends on the neighbours, so each run also
 * reports the CPU time of the planning thread.
 *
 * <p>Arguments: hosts, guests, seed (defaults 500, 10000, 20261125).
 */
public final class PlannerBenchmark {

    private static final int REPEATS = 3;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PlannerBenchmark() {
    }

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int guests = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261125L;

        Cluster cluster = RandomClusters.large(new Random(seed), hosts, guests);
        System.out.printf("cluster: %d hosts, %d guests, seed %d%n", hosts, guests, seed);
        long heapWithCluster = usedHeapAfterGc();
        resetPeaks();

        PlannerSettings defaults = PlannerSettings.defaults();
        report("a scheduled run (max 20 moves, min gain 0.0001)", cluster, defaults.withMinGain(0.0001));
        report("to convergence (min gain 0.00001, no move limit)", cluster,
                defaults.withMaxMoves(Integer.MAX_VALUE).withMinGain(0.00001));
        drainHottest(cluster, defaults);

        System.out.printf("heap: %.0f MiB in use with the cluster loaded; peak while planning %.0f MiB; max heap %.0f MiB%n",
                mib(heapWithCluster), mib(peakHeap()), mib(Runtime.getRuntime().maxMemory()));
    }

    /** Plans {@link #REPEATS} times (the first on a cold JVM) and prints the first plan and every run's time. */
    private static void report(String title, Cluster cluster, PlannerSettings settings) {
        StringJoiner times = new StringJoiner(", ");
        Plan plan = null;
        for (int run = 0; run < REPEATS; run++) {
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            Plan made = Planner.plan(cluster, settings);
            times.add(String.format("%d ms (CPU %d ms)", (System.nanoTime() - start) / 1_000_000,
                    (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000));
            plan = plan == null ? made : plan;
        }
        System.out.printf("%s: %d moves (stopped: %s), score %.5f -> %.5f%n", title, plan.moves().size(), plan.stop(),
                plan.scoreBefore(), plan.scoreAfter());
        plan.moves().stream().limit(2).forEach(move -> System.out.println("  " + move.why()));
        System.out.println("  plan time, first run on a cold JVM first: " + times);
    }

    /** Drains the host with the most guest memory among those whose guests may all move. */
    private static void drainHottest(Cluster cluster, PlannerSettings settings) {
        String hottest = cluster.hosts().stream().filter(h -> !h.maintenance()).filter(h -> cluster.guests().stream()
                        .filter(g -> g.host().equals(h.name())).allMatch(g -> g.aoeDisksOnly() && !g.pinned()))
                .max((a, b) -> Long.compare(guestMemory(cluster, a.name()), guestMemory(cluster, b.name())))
                .orElseThrow().name();
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        String outcome;
        try {
            DrainPlan drain = Planner.drain(cluster, hottest, settings);
            outcome = String.format("%d moves, score of the other hosts %.5f -> %.5f", drain.moves().size(),
                    drain.scoreBefore(), drain.scoreAfter());
        } catch (DrainRefusedException refused) {
            outcome = "refused: " + refused.getMessage();
        }
        System.out.printf("drain %s (%.0f GiB of guests): %s; %d ms (CPU %d ms)%n", hottest,
                guestMemory(cluster, hottest) / (double) RandomClusters.GIB, outcome, (System.nanoTime() - start) / 1_000_000,
                (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000);
    }

    private static long guestMemory(Cluster cluster, String host) {
        return cluster.guests().stream().filter(g -> g.host().equals(host)).mapToLong(ObservedGuest::memoryBytes).sum();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of each heap pool's peak: an upper bound of the heap in use at any one moment. */
    private static long peakHeap() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024);
    }
}
