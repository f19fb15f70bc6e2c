package org.aoemigrate.orchestrator.rebalance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's scheduled rebalance: only inside its window, at most its moves, kept in the run log. */
class RebalanceSchedulerTest {

    private static final String SCHEDULE = "rebalance:\n  schedule: {intervalMinutes: 60, window: '01:00-05:00', maxMoves: 1}\n";

    @TempDir
    Path dir;

    private BalanceFixture unbalanced() throws Exception {
        BalanceFixture f = new BalanceFixture(dir, "{global: 2, perHostOutbound: 1, perHostInbound: 1}", 2048, SCHEDULE);
        for (int n = 1; n <= 4; n++) {
            f.run(n, "hostA", 256);
        }
        return f;
    }

    private static Clock at(String time) {
        return Clock.fixed(Instant.parse("2026-11-25T" + time + ":00Z"), ZoneOffset.UTC);
    }

    @Test
    void outsideTheWindowNothingRuns() throws Exception {
        BalanceFixture f = unbalanced();
        List<String> log = new ArrayList<>();
        try (RebalanceScheduler s = RebalanceScheduler.start(f.inventory.rebalance().schedule().orElseThrow(), f.jobs,
                at("12:00"), Duration.ofMillis(10), log::add)) {
            Thread.sleep(300);
        }
        assertThat(f.jobs.runs().runs()).isEmpty();
        assertThat(f.migrationsStarted()).isEmpty();
        assertThat(log).isEmpty();
    }

    @Test
    void insideTheWindowOneRunMakesAtMostItsMovesAndTheIntervalHoldsTheNext() throws Exception {
        BalanceFixture f = unbalanced();
        List<String> log = new CopyOnWriteArrayList<>();
        try (RebalanceScheduler s = RebalanceScheduler.start(f.inventory.rebalance().schedule().orElseThrow(), f.jobs,
                at("02:30"), Duration.ofMillis(10), log::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (f.jobs.runs().runs().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
        }
        List<RebalanceReport> runs = f.jobs.runs().runs();
        assertThat(runs).as("the clock stands still: the interval is not over again").hasSize(1);
        RebalanceReport r = runs.get(0);
        assertThat(r.trigger()).isEqualTo(BalanceJobs.SCHEDULE);
        assertThat(r.outcome()).isEqualTo(RebalanceReport.SUCCEEDED);
        assertThat(r.moves()).hasSize(1);
        assertThat(f.migrationsStarted()).hasSize(1);
        assertThat(log).singleElement().asString().startsWith("scheduled rebalance " + r.id() + ": succeeded, 1 of 1 move(s)");
    }

    @Test
    void aRestartedScheduleRemembersTheLastRunFromTheLog() throws Exception {
        BalanceFixture f = unbalanced();
        try (RebalanceScheduler s = RebalanceScheduler.start(f.inventory.rebalance().schedule().orElseThrow(), f.jobs,
                at("02:30"), Duration.ofMillis(10), line -> { })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (f.jobs.runs().runs().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        int started = f.migrationsStarted().size();
        // the log has the run's start on the fake cluster's clock (just after midnight UTC); a restart half an hour
        // later, in a zone where that is inside the window, must wait for the interval
        Instant last = Instant.parse(f.jobs.runs().runs().get(0).startedAt());
        Clock restarted = Clock.fixed(last.plus(Duration.ofMinutes(30)), ZoneOffset.ofHours(2));
        assertThat(f.inventory.rebalance().schedule().orElseThrow().window().orElseThrow()
                .contains(restarted.instant().atZone(restarted.getZone()).toLocalTime())).isTrue();
        try (RebalanceScheduler s = RebalanceScheduler.start(f.inventory.rebalance().schedule().orElseThrow(), f.jobs,
                restarted, Duration.ofMillis(10), line -> { })) {
            Thread.sleep(200);
        }
        assertThat(f.jobs.runs().runs()).hasSize(1);
        assertThat(f.migrationsStarted()).hasSize(started);
    }
}
