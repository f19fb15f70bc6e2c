package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.orchestrator.api.ApiServer;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.rebalance.BalanceJobs;
import org.aoemigrate.orchestrator.rebalance.ClusterObserver;
import org.aoemigrate.orchestrator.rebalance.MaintenanceHosts;
import org.aoemigrate.orchestrator.rebalance.RebalanceScheduler;
import org.aoemigrate.orchestrator.rebalance.RunLog;

/**
 * {@code aoemigrate daemon}: hosts the embedded AoE target (the inventory's exports), the
 * migration engine and the local API, with the journal and the target's state in the
 * inventory's state directory ({@link StateLayout}).
 *
 * <p>Start order: target first (guests' disks must be served whatever else fails), then the
 * engine, then the socket, then the settling of every migration a crash left open
 * ({@link StartupRecovery}, on a thread of its own: the API refuses moves until it has ended),
 * then the rebalance schedule. {@link #close} runs it backwards: a recovery still running is
 * stopped, migrations in flight are asked to abort and given time to end (so each ends
 * journaled, with its reservation settled and its client told), then the socket goes, then the
 * target flushes and closes its exports.
 */
public final class Daemon implements AutoCloseable {

    /** How long a stop waits for aborted migrations to settle; a pre-copy abort takes seconds. */
    static final Duration SETTLE = Duration.ofSeconds(60);
    /** How far apart a guest's CPU time is read twice to know its recent CPU use, for a plan. */
    static final Duration CPU_SAMPLE = Duration.ofSeconds(2);
    /** How often a rolling run looks for a slot another client's migration freed. */
    static final Duration SLOT_RECHECK = Duration.ofMillis(250);
    /** How often the rebalance schedule looks whether a run is due. */
    static final Duration SCHEDULE_CHECK = Duration.ofSeconds(30);

    private final Inventory inventory;
    private final StateLayout layout;
    private final EmbeddedTarget target;
    private final MigrationEngine engine;
    private final BalanceJobs jobs;
    private final ApiServer api;
    private final StartupRecovery recovery;
    private final PrintWriter log;
    /** Guards {@link #scheduler}, which the recovery's thread starts: not this, which close holds while it waits. */
    private final Object scheduling = new Object();
    private Optional<RebalanceScheduler> scheduler = Optional.empty();
    private volatile boolean closed;

    private Daemon(Inventory inventory, StateLayout layout, EmbeddedTarget target, MigrationEngine engine, BalanceJobs jobs,
            ApiServer api, StartupRecovery recovery, PrintWriter log) {
        this.inventory = inventory;
        this.layout = layout;
        this.target = target;
        this.engine = engine;
        this.jobs = jobs;
        this.api = api;
        this.recovery = recovery;
        this.log = log;
    }

    /**
     * Starts everything; on failure, stops what started.
     *
     * @param socket where the API listens: normally {@link StateLayout#socket()}
     * @param log    the daemon's log (its stderr)
     */
    public static Daemon start(Inventory inventory, Path socket, DaemonParts parts, PrintWriter log) throws IOException {
        StateLayout layout = new StateLayout(inventory.storage().stateDir());
        EmbeddedTarget target = EmbeddedTarget.start(inventory, layout, parts.links(), parts.duplicateCheck());
        try {
            FileMigrationJournal journal = new FileMigrationJournal(layout.journal());
            // a drain's maintenance lasts until undrain, across restarts; the engine refuses moves onto such hosts
            MaintenanceHosts maintenance = MaintenanceHosts.load(layout.maintenance());
            MigrationEngine engine = new MigrationEngine(() -> maintenance.apply(inventory), parts.hypervisors(),
                    new TargetFence(target),
                    parts.destinationCheck().apply(inventory,
                            e -> target.require(e.address()).store().sectors() * AoeConstants.SECTOR_SIZE),
                    journal, parts.ticker(), parts.pollInterval());
            // before the socket opens, so that no new migration can start on a guest still unsettled
            StartupRecovery recovery = StartupRecovery.prepare(engine, journal, line -> say(log, line));
            BalanceJobs jobs = new BalanceJobs(inventory, maintenance, engine, new ClusterObserver(parts.hypervisors(),
                    journal, parts.ticker(), CPU_SAMPLE), new RunLog(layout.runs()), parts.ticker(), SLOT_RECHECK);
            ApiServer api = ApiServer.start(socket, new DaemonApi(inventory, engine, parts.hypervisors(), target, journal,
                    jobs, recovery));
            Daemon d = new Daemon(inventory, layout, target, engine, jobs, api, recovery, log);
            d.say("serving " + target.exportCount() + " export(s) on " + target.interfaceCount() + " interface(s), "
                    + inventory.hosts().size() + " host(s); state in " + layout.stateDir() + "; API on " + api.socket()
                    + "; stop with SIGTERM");
            // the schedule's runs move guests, so they wait for the recovery like the API's moves
            recovery.start(d::startSchedule);
            return d;
        } catch (IOException | RuntimeException e) {
            target.close();
            throw e;
        }
    }

    public Path socket() {
        return api.socket();
    }

    public StateLayout layout() {
        return layout;
    }

    public Inventory inventory() {
        return inventory;
    }

    /** Starts the inventory's rebalance schedule, if it has one and the daemon is not stopping; a failure is logged. */
    private void startSchedule() {
        if (inventory.rebalance().schedule().isEmpty()) {
            return;
        }
        synchronized (scheduling) {
            if (closed) {
                return;
            }
            try {
                scheduler = Optional.of(RebalanceScheduler.start(inventory.rebalance().schedule().get(), jobs,
                        Clock.systemDefaultZone(), SCHEDULE_CHECK, this::say));
            } catch (IOException | RuntimeException e) {
                say("the rebalance schedule cannot start (" + e.getMessage() + "); 'aoemigrate rebalance' still works;"
                        + " fix " + layout.runs() + " and restart the daemon for the schedule");
            }
        }
    }

    private void say(String line) {
        say(log, line);
    }

    private static void say(PrintWriter log, String line) {
        log.println("aoemigrate daemon: " + line);
        log.flush();
    }

    /** Aborts migrations in flight and waits for them, then stops the API and the target. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        recovery.stop(SETTLE);
        Optional<RebalanceScheduler> scheduler;
        synchronized (scheduling) {
            scheduler = this.scheduler;
        }
        // no drain or rebalance (asked for or scheduled) may start a move while the ones in flight are aborted
        jobs.stopStarting();
        scheduler.ifPresent(RebalanceScheduler::stopStarting);
        if (!engine.active().isEmpty()) {
            say("stopping: aborting " + engine.active().size() + " migration(s) in flight");
            engine.active().forEach(m -> engine.abort(m.id(), "the daemon is stopping"));
            Instant deadline = Instant.now().plus(SETTLE);
            while (!engine.active().isEmpty() && Instant.now().isBefore(deadline)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!engine.active().isEmpty()) {
                say("stopping with " + engine.active().size() + " migration(s) unsettled; the next start settles them"
                        + " (or run 'aoemigrate recover' then)");
            }
        }
        scheduler.ifPresent(RebalanceScheduler::close);
        api.close();
        target.close();
        say("stopped; exports flushed and closed");
    }
}
