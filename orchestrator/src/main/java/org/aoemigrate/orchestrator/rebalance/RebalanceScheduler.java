package org.aoemigrate.orchestrator.rebalance;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.engine.MigrationListener;
import org.aoemigrate.orchestrator.inventory.RebalanceSchedule;

/**
 * The daemon's own rebalance runs, as the inventory's {@code rebalance.schedule} asks: every
 * {@code checkEvery} it looks whether a run is due (the interval since the last scheduled run is
 * over, and the clock is inside the window) and runs one. The last run's start is read from the
 * {@link RunLog} at start, so a restart neither runs at once nor forgets the interval.
 */
public final class RebalanceScheduler implements AutoCloseable {

    private final RebalanceSchedule schedule;
    private final BalanceJobs jobs;
    private final Clock clock;
    private final Duration checkEvery;
    private final Consumer<String> log;
    private final Thread thread;
    private Optional<Instant> lastRun;

    private RebalanceScheduler(RebalanceSchedule schedule, BalanceJobs jobs, Clock clock, Duration checkEvery,
            Consumer<String> log, Optional<Instant> lastRun) {
        this.schedule = schedule;
        this.jobs = jobs;
        this.clock = clock;
        this.checkEvery = checkEvery;
        this.log = log;
        this.lastRun = lastRun;
        this.thread = new Thread(this::loop, "aoemigrate rebalance schedule");
        thread.setDaemon(true);
    }

    /**
     * Starts the schedule, in the clock's time zone.
     *
     * @param log hears one line per run
     */
    public static RebalanceScheduler start(RebalanceSchedule schedule, BalanceJobs jobs, Clock clock, Duration checkEvery,
            Consumer<String> log) throws IOException {
        Optional<Instant> last = jobs.runs().runs().stream().filter(r -> r.trigger().equals(BalanceJobs.SCHEDULE))
                .map(r -> Instant.parse(r.startedAt())).reduce((a, b) -> b);
        RebalanceScheduler s = new RebalanceScheduler(schedule, jobs, clock, checkEvery, log, last);
        s.thread.start();
        return s;
    }

    private void loop() {
        try {
            while (true) {
                Instant now = clock.instant();
                if (schedule.due(now, lastRun, clock.getZone())) {
                    lastRun = Optional.of(now);
                    RebalanceReport r = jobs.rebalance(false, OptionalInt.of(schedule.maxMoves()), BalanceJobs.SCHEDULE,
                            MigrationListener.NONE);
                    log.accept("scheduled rebalance " + r.id() + ": " + r.outcome() + ", " + r.summary().succeeded() + " of "
                            + r.summary().planned() + " move(s) made, score " + String.format("%.4f -> %.4f",
                                    r.scoreBefore(), r.scoreAfter()) + (r.reason() == null ? "" : " (" + r.reason() + ")"));
                }
                Thread.sleep(checkEvery.toMillis());
            }
        } catch (InterruptedException stopping) {
            // close() ends the schedule; a run in flight has let its moves end first
        } catch (RuntimeException e) {
            log.accept("the rebalance schedule stopped: " + e + "; restart the daemon to resume it");
        }
    }

    /** Lets no run start a move any more; returns at once. */
    public void stopStarting() {
        thread.interrupt();
    }

    /** Stops the schedule; waits for a run in flight to let its moves end. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
