package org.aoemigrate.orchestrator.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.aoemigrate.orchestrator.api.MaintenanceReport;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.api.RebalanceReport.MoveReport;
import org.aoemigrate.orchestrator.engine.MigrationEvent;
import org.aoemigrate.orchestrator.engine.MigrationListener;
import org.aoemigrate.orchestrator.engine.MigrationOrder;
import org.aoemigrate.orchestrator.engine.MigrationOutcome;
import org.aoemigrate.orchestrator.engine.MigrationResult;
import org.aoemigrate.orchestrator.engine.PreflightCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** drain, undrain and rebalance over the fake cluster, through the real engine. */
class BalanceJobsTest {

    private static final String ONE_AT_A_TIME = "{global: 2, perHostOutbound: 1, perHostInbound: 1}";

    @TempDir
    Path dir;

    /** g1-g4 on hostA, g5 on hostB, g6 on hostC; 256 MiB each. */
    private BalanceFixture fourOnA(String limits, long guestMiB) throws Exception {
        BalanceFixture f = new BalanceFixture(dir, limits, guestMiB, "");
        for (int n = 1; n <= 4; n++) {
            f.run(n, "hostA", 256);
        }
        f.run(5, "hostB", 256);
        f.run(6, "hostC", 256);
        return f;
    }

    @Test
    void drainMovesEveryGuestOffAndTheMaintenanceOutlivesARestart() throws Exception {
        BalanceFixture f = fourOnA(ONE_AT_A_TIME, 2048);

        RebalanceReport r = f.jobs.drain("hostA", MigrationListener.NONE);

        assertThat(r.outcome()).isEqualTo(RebalanceReport.SUCCEEDED);
        assertThat(r.kind()).isEqualTo("drain");
        assertThat(r.moves()).extracting(MoveReport::guest).containsExactlyInAnyOrder("g1", "g2", "g3", "g4");
        assertThat(r.moves()).allSatisfy(m -> {
            assertThat(m.source()).isEqualTo("hostA");
            assertThat(m.outcome()).isEqualTo("succeeded");
            assertThat(m.migrationId()).startsWith("m-");
            assertThat(m.reason()).isEqualTo("drain");
        });
        assertThat(r.summary()).isEqualTo(new RebalanceReport.Summary(4, 4, 0, 0));
        assertThat(f.placement()).doesNotContainValue("hostA").hasSize(6);
        assertThat(f.counts()).containsEntry("hostB", 3).containsEntry("hostC", 3);
        assertThat(f.reloadMaintenance().hosts()).as("kept on disk").containsExactly("hostA");
        assertThat(f.jobs.runs().runs()).extracting(RebalanceReport::id).containsExactly(r.id());

        MigrationResult back = f.engine.migrate(MigrationOrder.of("g1", "hostA"), MigrationListener.NONE);
        assertThat(back.outcome()).isEqualTo(MigrationOutcome.REFUSED);
        assertThat(back.failedCheck()).contains(PreflightCheck.MAINTENANCE);
    }

    @Test
    void drainIsRefusedBeforeAnythingMovesWhenTheOthersCannotHoldTheGuests() throws Exception {
        // hostB and hostC have 640 MiB for guests each, one of 256 MiB already: room for 2 of hostA's 4 at most
        BalanceFixture f = fourOnA(ONE_AT_A_TIME, 640);
        Map<String, String> before = f.placement();

        RebalanceReport r = f.jobs.drain("hostA", MigrationListener.NONE);

        assertThat(r.outcome()).isEqualTo(RebalanceReport.REFUSED);
        assertThat(r.reason()).startsWith("cannot drain hostA: g").contains("nothing moved", "hostA is not in maintenance");
        assertThat(r.moves()).isEmpty();
        assertThat(f.migrationsStarted()).as("no migration started").isEmpty();
        assertThat(f.placement()).isEqualTo(before);
        assertThat(f.maintenance.hosts()).isEmpty();
        assertThat(f.reloadMaintenance().hosts()).isEmpty();
        assertThat(f.jobs.runs().runs()).extracting(RebalanceReport::outcome).containsExactly(RebalanceReport.REFUSED);
    }

    @Test
    void undrainEndsTheMaintenanceAndRebalanceThenMovesGuestsBackOntoTheHost() throws Exception {
        BalanceFixture f = fourOnA(ONE_AT_A_TIME, 2048);
        // g7 and g8 never moved, so the hold time does not keep them where they are
        f.run(7, "hostB", 256);
        f.run(8, "hostC", 256);
        assertThat(f.jobs.drain("hostA", MigrationListener.NONE).outcome()).isEqualTo(RebalanceReport.SUCCEEDED);
        RebalanceReport whileDrained = f.jobs.rebalance(true, OptionalInt.empty(), BalanceJobs.REQUEST, MigrationListener.NONE);
        assertThat(whileDrained.moves()).extracting(MoveReport::destination).doesNotContain("hostA");

        MaintenanceReport u = f.jobs.undrain("hostA");
        assertThat(u).isEqualTo(new MaintenanceReport("hostA", false, true,
                "hostA takes guests again; 'aoemigrate rebalance' moves some back"));
        assertThat(f.reloadMaintenance().hosts()).isEmpty();
        assertThat(f.jobs.undrain("hostA").changed()).isFalse();

        RebalanceReport r = f.jobs.rebalance(false, OptionalInt.empty(), BalanceJobs.REQUEST, MigrationListener.NONE);

        assertThat(r.outcome()).isEqualTo(RebalanceReport.SUCCEEDED);
        assertThat(r.moves()).isNotEmpty().allSatisfy(m -> assertThat(m.destination()).isEqualTo("hostA"));
        assertThat(r.moves()).extracting(MoveReport::guest).allSatisfy(g -> assertThat(g).isIn("g5", "g6", "g7", "g8"));
        assertThat(r.scoreAfter()).isLessThan(r.scoreBefore());
        assertThat(f.counts().get("hostA")).isEqualTo(r.moves().size());
        assertThat(f.jobs.runs().runs()).extracting(RebalanceReport::kind).containsExactly("drain", "rebalance");
    }

    @Test
    void aDryRunPlansButChangesNothing() throws Exception {
        BalanceFixture f = fourOnA(ONE_AT_A_TIME, 2048);
        Map<String, String> before = f.placement();

        RebalanceReport r = f.jobs.rebalance(true, OptionalInt.empty(), BalanceJobs.REQUEST, MigrationListener.NONE);

        assertThat(r.outcome()).isEqualTo(RebalanceReport.PLANNED);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.moves()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.source()).isEqualTo("hostA");
            assertThat(m.outcome()).isEqualTo("planned");
            assertThat(m.migrationId()).isNull();
            assertThat(m.why()).startsWith(m.guest() + ": hostA (memory ");
        });
        assertThat(r.scoreAfter()).isLessThan(r.scoreBefore());
        assertThat(f.migrationsStarted()).isEmpty();
        assertThat(f.placement()).isEqualTo(before);
        assertThat(f.jobs.runs().runs()).as("a dry run is not kept").isEmpty();
        assertThat(Files.exists(dir.resolve("maintenance.json"))).isFalse();

        RebalanceReport one = f.jobs.rebalance(true, OptionalInt.of(1), BalanceJobs.REQUEST, MigrationListener.NONE);
        assertThat(one.moves()).hasSize(1);
        assertThat(one.stop()).isEqualTo("max_moves");
    }

    @Test
    void movesRollWithinTheLimitsAndUseEverySlot() throws Exception {
        // 2 at once in the cluster, 2 out of a host, 1 into a host: hostA's 4 guests go 2 at a time, one per destination
        BalanceFixture f = fourOnA("{global: 2, perHostOutbound: 2, perHostInbound: 1}", 2048);

        RebalanceReport r = f.jobs.drain("hostA", MigrationListener.NONE);

        assertThat(r.outcome()).isEqualTo(RebalanceReport.SUCCEEDED);
        int most = 0;
        Map<String, Integer> into = new HashMap<>();
        List<String> flying = new ArrayList<>();
        for (String e : f.cluster.timeline()) {
            String[] w = e.split(" ");
            if (e.startsWith("migrate ")) {
                flying.add(w[1]);
                String destination = w[2].split("->")[1];
                assertThat(into.merge(destination, 1, Integer::sum)).as("into " + destination + " at: " + e).isLessThanOrEqualTo(1);
                most = Math.max(most, flying.size());
            } else if (e.startsWith("moved ")) {
                flying.remove(w[1]);
                into.merge(w[2].split("->")[1], -1, Integer::sum);
            }
        }
        assertThat(most).as("the global limit, and reached: " + f.cluster.timeline()).isEqualTo(2);
        assertThat(f.migrationsStarted()).hasSize(4);
    }

    @Test
    void onceTheDaemonStopsNoFurtherMoveStartsAndTheRestAreReportedNotStarted() throws Exception {
        BalanceFixture f = fourOnA(ONE_AT_A_TIME, 2048);

        RebalanceReport r = f.jobs.drain("hostA", e -> {
            if (e.kind() == MigrationEvent.Kind.FINISHED) {
                f.jobs.stopStarting();
            }
        });

        assertThat(r.outcome()).isEqualTo(RebalanceReport.FAILED);
        assertThat(r.summary()).isEqualTo(new RebalanceReport.Summary(4, 1, 0, 3));
        assertThat(r.moves()).extracting(MoveReport::outcome).containsExactly("succeeded", "not_started", "not_started",
                "not_started");
        assertThat(f.migrationsStarted()).hasSize(1);
        assertThat(f.jobs.rebalance(false, OptionalInt.empty(), BalanceJobs.REQUEST, MigrationListener.NONE).reason())
                .isEqualTo("the daemon is stopping; nothing new starts");
    }
}
