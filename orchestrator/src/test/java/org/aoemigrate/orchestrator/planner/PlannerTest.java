package org.aoemigrate.orchestrator.planner;

import static org.aoemigrate.orchestrator.planner.TestCluster.guest;
import static org.aoemigrate.orchestrator.planner.TestCluster.movedAgo;
import static org.aoemigrate.orchestrator.planner.TestCluster.pinned;
import static org.aoemigrate.orchestrator.planner.TestCluster.withCpu;
import static org.aoemigrate.orchestrator.planner.TestCluster.withGroups;
import static org.aoemigrate.orchestrator.planner.TestCluster.withLocalDisk;
import static org.aoemigrate.orchestrator.planner.TestCluster.withMaintenance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final PlannerSettings SETTINGS = PlannerSettings.defaults();

    /**
     * Three 64 GiB, 16-CPU hosts: h1 runs six 8 GiB guests (75 % of its memory), h2 two (25 %),
     * h3 one (12.5 %). Even is three each: h1 should give three away, the first to h3.
     */
    private static TestCluster hotH1(UnaryOperator<ObservedGuest> h1Guests) {
        return new TestCluster().host("h1", 64, 16).host("h2", 64, 16).host("h3", 64, 16)
                .guests("h1", 6, 8, h1Guests).guests("h2", 2, 8).guests("h3", 1, 8);
    }

    private static List<String> destinations(Plan plan) {
        return plan.moves().stream().map(m -> m.destination().host()).toList();
    }

    @Nested
    class Rebalance {

        @Test
        void balancedClusterGetsNoMoves() {
            Cluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16).host("h3", 64, 16)
                    .guests("h1", 3, 8).guests("h2", 3, 8).guests("h3", 3, 8).build();

            Plan plan = Planner.plan(cluster, SETTINGS);

            assertThat(plan.moves()).isEmpty();
            assertThat(plan.stop()).isEqualTo(Plan.Stop.BALANCED);
            assertThat(plan.scoreBefore()).isZero();
            assertThat(plan.scoreAfter()).isZero();
        }

        @Test
        void aMoveThatOnlyShiftsTheImbalanceIsNotMade() {
            // 4, 3, 3 guests: moving one off h1 makes 3, 4, 3, which scores the same
            Cluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16).host("h3", 64, 16)
                    .guests("h1", 4, 8).guests("h2", 3, 8).guests("h3", 3, 8).build();

            Plan plan = Planner.plan(cluster, SETTINGS);

            assertThat(plan.moves()).isEmpty();
            assertThat(plan.scoreBefore()).isPositive();
        }

        @Test
        void hotHostGivesGuestsToTheLeastLoadedHostsUntilEven() {
            Plan plan = Planner.plan(hotH1(g -> g).build(), SETTINGS);

            assertThat(plan.moves()).extracting(m -> m.source().host()).containsOnly("h1");
            assertThat(destinations(plan)).hasSize(3).first().isEqualTo("h3");
            assertThat(destinations(plan)).containsExactlyInAnyOrder("h3", "h3", "h2");
            assertThat(plan.scoreAfter()).isCloseTo(0, within(1e-9));
            assertThat(plan.stop()).isEqualTo(Plan.Stop.BALANCED);
            assertThat(plan.moves()).allSatisfy(m -> {
                assertThat(m.gain()).isGreaterThanOrEqualTo(SETTINGS.minGain());
                assertThat(m.reason()).isEqualTo(MoveReason.MEMORY_SPREAD);
            });
        }

        @Test
        void eachMoveSaysWhatMovesWhereAndWhatItRelieves() {
            Move first = Planner.plan(hotH1(g -> g).build(), SETTINGS).moves().get(0);

            assertThat(first.source()).isEqualTo(new HostShift("h1", new HostUse(0.75, 6 / 16.0), new HostUse(0.625, 5 / 16.0)));
            assertThat(first.destination()).isEqualTo(new HostShift("h3", new HostUse(0.125, 1 / 16.0), new HostUse(0.25, 2 / 16.0)));
            assertThat(first.why()).isEqualTo(String.format(
                    "h1-vm0: h1 (memory 75%% -> 63%%, CPU 38%% -> 31%%) -> h3 (memory 13%% -> 25%%, CPU 6%% -> 13%%); "
                            + "evens out memory use; score %.4f -> %.4f", first.scoreBefore(), first.scoreAfter()));
        }

        @Test
        void maxMovesCutsThePlanShort() {
            Plan plan = Planner.plan(hotH1(g -> g).build(), SETTINGS.withMaxMoves(1));

            assertThat(destinations(plan)).containsExactly("h3");
            assertThat(plan.stop()).isEqualTo(Plan.Stop.MAX_MOVES);
        }

        @Test
        void hostsThatCannotRunTheGuestsCpuAreSkippedForTheBestHostThatCan() {
            TestCluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16)
                    .host(withCpu(new ObservedHost("h3", 64 * TestCluster.GIB, 16, false, "x"), "newer"))
                    .guests("h1", 6, 8).guests("h2", 2, 8).guests("h3", 1, 8, withCpu("newer"));

            assertThat(destinations(Planner.plan(cluster.build(), SETTINGS))).isNotEmpty().containsOnly("h2");
            // the caller's answer decides: once "k" runs on "newer", h3 is the best host again
            assertThat(destinations(Planner.plan(cluster.cpuCompatibility((guestCpu, hostCpu) -> true).build(), SETTINGS)))
                    .first().isEqualTo("h3");
        }

        @Test
        void noGuestJoinsAnotherOfItsAntiAffinityGroup() {
            TestCluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16).host("h3", 64, 16)
                    .guests("h1", 6, 8, withGroups("a", "b")).guests("h2", 2, 8)
                    .guest(withGroups("b").apply(guest("h3-vm0", "h3", 8)));

            Plan plan = Planner.plan(cluster.build(), SETTINGS);

            // one of h1's guests (groups a and b) may go to h2, none to h3 (group b); h2 then passes
            // one of its own guests on to h3
            assertThat(plan.moves()).filteredOn(m -> m.source().host().equals("h1"))
                    .extracting(m -> m.destination().host()).containsExactly("h2");
            assertThat(plan.moves()).extracting(Move::guest).contains("h2-vm0");
        }

        @Test
        void guestsOfOneGroupSpreadOneToAHost() {
            // h1's six guests are all in group web (observed that way); h2 and h3 may take one each
            Cluster cluster = hotH1(withGroups("web")).build();

            assertThat(destinations(Planner.plan(cluster, SETTINGS))).containsExactlyInAnyOrder("h2", "h3");
        }

        @Test
        void destinationsKeepTheirMemoryHeadroom() {
            // 70 % headroom leaves 19.2 GiB per host: h3 (8 GiB) takes one more guest, h2 (16 GiB) none
            Plan plan = Planner.plan(hotH1(g -> g).build(), SETTINGS.withHeadroom(0.7, 0.1));

            assertThat(destinations(plan)).containsExactly("h3");
            assertThat(plan.moves()).allSatisfy(m -> assertThat(m.destination().after().memory()).isLessThanOrEqualTo(0.3));
        }

        @Test
        void guestsMovedWithinTheHoldTimeStay() {
            Cluster cluster = hotH1(movedAgo(Duration.ofMinutes(10))).build();

            assertThat(Planner.plan(cluster, SETTINGS.withHoldTime(Duration.ofHours(1))).moves()).isEmpty();
            assertThat(Planner.plan(cluster, SETTINGS.withHoldTime(Duration.ofMinutes(5))).moves()).hasSize(3);
        }

        @Test
        void pinnedGuestsNeverMove() {
            Cluster cluster = hotH1(pinned()).guest(guest("h1-free", "h1", 8)).build();

            assertThat(Planner.plan(cluster, SETTINGS).moves()).extracting(Move::guest).containsExactly("h1-free");
        }

        @Test
        void guestsWithDisksOutsideAoeNeverMove() {
            assertThat(Planner.plan(hotH1(withLocalDisk()).build(), SETTINGS).moves()).isEmpty();
        }

        @Test
        void hostsInMaintenanceTakeNothingAndCountForNothing() {
            Cluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16)
                    .host(withMaintenance(new ObservedHost("h3", 64 * TestCluster.GIB, 16, false, TestCluster.CPU)))
                    .guests("h1", 6, 8).guests("h2", 2, 8).guests("h3", 1, 8).build();

            Plan plan = Planner.plan(cluster, SETTINGS);

            // h1 and h2 alone: memory 75 % and 25 % (σ 0.25), CPU 6 and 2 of 16 (σ 0.125, weight 0.5)
            assertThat(plan.scoreBefore()).isCloseTo(0.25 + 0.5 * 0.125, within(1e-12));
            assertThat(plan.moves()).extracting(m -> m.source().host() + "->" + m.destination().host())
                    .containsExactly("h1->h2", "h1->h2");
            assertThat(plan.scoreAfter()).isCloseTo(0, within(1e-9));
        }
    }

    @Nested
    class Drain {

        @Test
        void everyGuestGoesElsewhereEvenly() throws DrainRefusedException {
            DrainPlan plan = Planner.drain(hotH1(g -> g).build(), "h1", SETTINGS);

            assertThat(plan.host()).isEqualTo("h1");
            assertThat(plan.moves()).extracting(Move::guest)
                    .containsExactlyInAnyOrder("h1-vm0", "h1-vm1", "h1-vm2", "h1-vm3", "h1-vm4", "h1-vm5");
            assertThat(plan.moves()).allSatisfy(m -> assertThat(m.reason()).isEqualTo(MoveReason.DRAIN));
            Map<String, Long> arriving = plan.moves().stream()
                    .collect(Collectors.groupingBy(m -> m.destination().host(), Collectors.counting()));
            // h2 had 2 guests and h3 1: 9 guests end up 5 and 4 or 4 and 5
            assertThat(arriving.get("h2") + 2 - (arriving.get("h3") + 1)).isBetween(-1L, 1L);
            assertThat(plan.scoreAfter()).isLessThan(0.1);
        }

        @Test
        void theHoldTimeDoesNotStopADrain() throws DrainRefusedException {
            Cluster cluster = hotH1(movedAgo(Duration.ofMinutes(1))).build();

            assertThat(Planner.drain(cluster, "h1", SETTINGS).moves()).hasSize(6);
        }

        @Test
        void refusedWhenTheRestCannotHoldAGuestNamingTheGuestAndWhy() {
            // 32 GiB hosts with 10 % headroom keep 28.8 GiB for guests: h2 and h3 have 4.8 GiB left each,
            // enough for h1's 2 GiB guest but not for its 8 GiB one
            Cluster cluster = new TestCluster().host("h1", 32, 16).host("h2", 32, 16).host("h3", 32, 16)
                    .guest(guest("small", "h1", 2)).guest(guest("big", "h1", 8))
                    .guests("h2", 3, 8).guests("h3", 3, 8).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .isInstanceOfSatisfying(DrainRefusedException.class, refused -> {
                        assertThat(refused.guest()).isEqualTo("big");
                        assertThat(refused.reason()).isEqualTo("(8.0 GiB, 2 vCPUs, 1.00 cores in use) fits on no other host: "
                                + "2 hosts lack memory: it needs 8.0 GiB, the most free is 4.8 GiB on h2 (keeping 10% headroom)");
                    })
                    .hasMessageStartingWith("cannot drain h1: big (8.0 GiB");
        }

        @Test
        void refusalCountsTheGuestsPlacedBeforeIt() {
            // h2 can take one of h1's 8 GiB guests, not both
            Cluster cluster = new TestCluster().host("h1", 32, 16).host("h2", 32, 16)
                    .guests("h1", 2, 8).guests("h2", 2, 8).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .isInstanceOfSatisfying(DrainRefusedException.class, refused -> {
                        assertThat(refused.guest()).isEqualTo("h1-vm1");
                        assertThat(refused.reason()).contains("fits on no other host once the 1 larger guests before it are placed: "
                                + "1 host lacks memory");
                    });
        }

        @Test
        void refusalNamesTheAntiAffinityGroupAndTheCpuAndMaintenance() {
            Cluster cluster = new TestCluster().host("h1", 64, 16).host("h2", 64, 16)
                    .host(withCpu(new ObservedHost("h3", 64 * TestCluster.GIB, 16, false, TestCluster.CPU), "older"))
                    .host(withMaintenance(new ObservedHost("h4", 64 * TestCluster.GIB, 16, false, TestCluster.CPU)))
                    .guests("h1", 1, 8, withGroups("db")).guests("h2", 1, 8, withGroups("db")).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .isInstanceOfSatisfying(DrainRefusedException.class, refused -> assertThat(refused.reason())
                            .isEqualTo("(8.0 GiB, 2 vCPUs, 1.00 cores in use) fits on no other host: "
                                    + "1 host in maintenance (h4); 1 host cannot run its CPU 'k' (h3); "
                                    + "1 host already runs a guest of its anti-affinity group (h2: db)"));
        }

        @Test
        void refusedForAPinnedGuest() {
            Cluster cluster = hotH1(g -> g).guest(pinned().apply(guest("keeper", "h1", 1))).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .isInstanceOfSatisfying(DrainRefusedException.class, refused -> assertThat(refused.guest()).isEqualTo("keeper"))
                    .hasMessage("cannot drain h1: keeper is pinned to h1: unpin it, or shut it down, before draining the host");
        }

        @Test
        void refusedForAGuestWithADiskOutsideAoe() {
            Cluster cluster = hotH1(g -> g).guest(withLocalDisk().apply(guest("local", "h1", 1))).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .isInstanceOfSatisfying(DrainRefusedException.class, refused -> {
                        assertThat(refused.guest()).isEqualTo("local");
                        assertThat(refused.reason()).startsWith("has a disk that is not on AoE, so it cannot live-migrate");
                    });
        }

        @Test
        void refusedWhenThereIsNoOtherHost() {
            Cluster cluster = new TestCluster().host("h1", 64, 16).guests("h1", 1, 8).build();

            assertThatThrownBy(() -> Planner.drain(cluster, "h1", SETTINGS))
                    .hasMessage("cannot drain h1: h1-vm0 (8.0 GiB, 2 vCPUs, 1.00 cores in use) has nowhere to go: h1 is the only host");
        }

        @Test
        void anUnknownHostIsAnError() {
            assertThatThrownBy(() -> Planner.drain(hotH1(g -> g).build(), "h9", SETTINGS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no host named h9 among the 3 observed hosts");
        }
    }
}
