package org.aoemigrate.orchestrator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Plans for thousands of random clusters, each replayed on {@link ReferenceCluster}: no move
 * breaks a rule or misreports the score, every move gains the minimum, and a plan never leaves the
 * cluster worse than it found it. A failure names its seed; {@code -Dplanner.seed=N} runs that seed alone.
 */
class PlannerPropertyTest {

    private static final int ITERATIONS = 3000;
    /** Fewer for the brute-force check: it tries every guest on every host before each move. */
    private static final int GREEDY_ITERATIONS = 200;
    private static final long FIRST_SEED = 20261125L;

    @Test
    void rebalancePlansKeepEveryRuleAndNeverWorsenTheScore() {
        forEverySeed(ITERATIONS, this::checkRebalance);
    }

    /**
     * hbal's greedy step, checked by brute force: each move reaches the lowest score of all allowed
     * moves at that point, so the bounds that let the planner skip candidates never skip the best.
     * (The clusters have at most 10 hosts, fewer than the planner's candidate sources, so it must
     * find the very best move.)
     */
    @Test
    void eachRebalanceMoveIsTheBestAllowedMove() {
        forEverySeed(GREEDY_ITERATIONS, seed -> {
            Random random = new Random(seed);
            Cluster cluster = RandomClusters.small(random);
            PlannerSettings settings = RandomClusters.smallSettings(random);
            ReferenceCluster reference = new ReferenceCluster(cluster, settings, null);
            for (Move move : Planner.plan(cluster, settings).moves()) {
                assertThat(move.scoreAfter()).as("score after %s", move.why())
                        .isLessThanOrEqualTo(reference.bestScoreOfAnyAllowedMove() + 1e-9);
                reference.apply(move, true);
            }
        });
    }

    @Test
    void drainPlansKeepEveryRuleAndEmptyTheHostOrRefuseBeforeMoving() {
        forEverySeed(ITERATIONS, this::checkDrain);
    }

    private void checkRebalance(long seed) {
        Random random = new Random(seed);
        Cluster cluster = RandomClusters.small(random);
        PlannerSettings settings = RandomClusters.smallSettings(random);
        Plan plan = Planner.plan(cluster, settings);

        ReferenceCluster reference = new ReferenceCluster(cluster, settings, null);
        double initial = reference.score();
        assertThat(plan.scoreBefore()).isCloseTo(initial, within(1e-9));
        assertThat(plan.moves()).hasSizeLessThanOrEqualTo(settings.maxMoves());
        for (Move move : plan.moves()) {
            reference.apply(move, true);
            assertThat(move.gain()).as("gain of %s", move.why()).isGreaterThanOrEqualTo(settings.minGain() - 1e-9);
        }
        assertThat(plan.scoreAfter()).isCloseTo(reference.score(), within(1e-9));
        assertThat(plan.scoreAfter()).isLessThanOrEqualTo(initial + 1e-12);
        if (plan.stop() == Plan.Stop.MAX_MOVES) {
            assertThat(plan.moves()).hasSize(settings.maxMoves());
        }
    }

    private void checkDrain(long seed) {
        Random random = new Random(seed);
        Cluster cluster = RandomClusters.small(random);
        PlannerSettings settings = RandomClusters.smallSettings(random);
        String host = cluster.hosts().get(random.nextInt(cluster.hosts().size())).name();
        Set<String> leaving = cluster.guests().stream().filter(g -> g.host().equals(host)).map(ObservedGuest::name)
                .collect(Collectors.toSet());
        DrainPlan plan;
        try {
            plan = Planner.drain(cluster, host, settings);
        } catch (DrainRefusedException refused) {
            assertThat(refused.host()).isEqualTo(host);
            assertThat(leaving).contains(refused.guest());
            assertThat(refused.getMessage()).startsWith("cannot drain " + host + ": " + refused.guest() + " ");
            return;
        }
        ReferenceCluster reference = new ReferenceCluster(cluster, settings, host);
        assertThat(plan.scoreBefore()).isCloseTo(reference.score(), within(1e-9));
        for (Move move : plan.moves()) {
            assertThat(move.reason()).isEqualTo(MoveReason.DRAIN);
            reference.apply(move, false);
        }
        assertThat(plan.moves()).extracting(Move::guest).containsExactlyInAnyOrderElementsOf(leaving);
        assertThat(plan.scoreAfter()).isCloseTo(reference.score(), within(1e-9));
    }

    private interface Check {
        void run(long seed);
    }

    private static void forEverySeed(int iterations, Check check) {
        Long only = Long.getLong("planner.seed");
        long first = only != null ? only : FIRST_SEED;
        long end = only != null ? only + 1 : FIRST_SEED + iterations;
        for (long seed = first; seed < end; seed++) {
            try {
                check.run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }
}
