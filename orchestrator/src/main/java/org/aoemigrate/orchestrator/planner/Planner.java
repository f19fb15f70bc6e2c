package org.aoemigrate.orchestrator.planner;

/**
 * Computes which guests to move where: a rebalancing {@link #plan} and a {@link #drain}. Pure: it
 * reads the {@link Cluster} it is given, calls nothing but the caller's {@link CpuCompatibility},
 * and changes nothing; running the moves is the engine's job.
 *
 * <p>Every move it returns respects, on the cluster as the plan's earlier moves leave it: the
 * destination takes guests (not in maintenance), can run the guest's CPU, runs no other guest of
 * the guest's anti-affinity groups, and keeps its memory and CPU headroom and its vCPU ratio
 * ({@link PlannerSettings}). Only guests whose disks are all AoE move, pinned guests never.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * A rebalancing plan: greedily, the allowed move that lowers the score most, while one lowers it
     * by at least {@link PlannerSettings#minGain()}, up to {@link PlannerSettings#maxMoves()} moves.
     * Guests that moved within {@link PlannerSettings#holdTime()} of {@link Cluster#observedAt()},
     * and guests on hosts in maintenance, stay where they are; no guest moves twice in one plan. A
     * balanced cluster gets an empty plan.
     */
    public static Plan plan(Cluster cluster, PlannerSettings settings) {
        return new BalanceSearch(cluster, settings).run();
    }

    /**
     * Where each guest of {@code host} goes so that the host can be emptied, largest guest first,
     * each to the allowed host where it leaves the best score (over the hosts that keep taking
     * guests). The hold time does not apply (the operator asked for the move), nor the minimum gain
     * or the move limit.
     *
     * @throws DrainRefusedException    when a guest is pinned, has a disk that is not on AoE, or fits
     *                                  on no other host; it names the guest and says why
     * @throws IllegalArgumentException when the cluster has no host of that name
     */
    public static DrainPlan drain(Cluster cluster, String host, PlannerSettings settings) throws DrainRefusedException {
        return new DrainSearch(cluster, settings).run(host);
    }
}
