package org.aoemigrate.orchestrator.rebalance;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.aoemigrate.orchestrator.api.MaintenanceReport;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.api.RebalanceReport.MoveReport;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.MigrationListener;
import org.aoemigrate.orchestrator.engine.MigrationResult;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.planner.Cluster;
import org.aoemigrate.orchestrator.planner.DrainPlan;
import org.aoemigrate.orchestrator.planner.DrainRefusedException;
import org.aoemigrate.orchestrator.planner.Move;
import org.aoemigrate.orchestrator.planner.Plan;
import org.aoemigrate.orchestrator.planner.Planner;
import org.aoemigrate.orchestrator.planner.PlannerSettings;

/**
 * {@code drain}, {@code undrain} and {@code rebalance}: observe the cluster, let the planner choose
 * the moves, run them through the engine ({@link MoveRunner}), and keep each run in the
 * {@link RunLog}. One drain or rebalance runs at a time; a second is refused, not queued, since
 * its plan would be made on a cluster about to change.
 */
public final class BalanceJobs {

    public static final String REQUEST = "request";
    public static final String SCHEDULE = "schedule";
    /** A move's outcome when the run stopped before it. */
    private static final String NOT_STARTED = "not_started";

    private final Inventory inventory;
    private final MaintenanceHosts maintenance;
    private final MigrationEngine engine;
    private final ClusterObserver observer;
    private final MoveRunner runner;
    private final RunLog runs;
    private final Ticker ticker;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private volatile String current = "";
    private volatile boolean stopping;

    public BalanceJobs(Inventory inventory, MaintenanceHosts maintenance, MigrationEngine engine, ClusterObserver observer,
            RunLog runs, Ticker ticker, Duration recheck) {
        this.inventory = inventory;
        this.maintenance = maintenance;
        this.engine = engine;
        this.observer = observer;
        this.runs = runs;
        this.ticker = ticker;
        this.runner = new MoveRunner(engine, this::current, recheck, () -> stopping);
    }

    /** No run starts a move any more: the daemon is stopping and aborts those in flight. */
    public void stopStarting() {
        stopping = true;
    }

    /** The inventory with the runtime maintenance applied: what the engine and the planner see. */
    public Inventory current() {
        return maintenance.apply(inventory);
    }

    public RunLog runs() {
        return runs;
    }

    /** What a run knows while it goes, until it becomes a report. */
    private final class Run {
        final String id = "r-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        final String kind;
        final String trigger;
        final String host;
        final boolean dryRun;
        final Instant started = ticker.now();
        final List<String> warnings = new ArrayList<>();

        Run(String kind, String trigger, String host, boolean dryRun) {
            this.kind = kind;
            this.trigger = trigger;
            this.host = host;
            this.dryRun = dryRun;
        }

        RebalanceReport refused(String reason) {
            return report(RebalanceReport.REFUSED, reason, 0, 0, null, List.of());
        }

        RebalanceReport report(String outcome, String reason, double before, double after, String stop, List<MoveReport> moves) {
            int succeeded = (int) moves.stream().filter(m -> m.outcome().equals(RebalanceReport.SUCCEEDED)).count();
            int notStarted = (int) moves.stream().filter(m -> m.outcome().equals(NOT_STARTED)).count();
            int failed = dryRun ? 0 : moves.size() - succeeded - notStarted;
            return new RebalanceReport(id, kind, trigger, host, dryRun, started.toString(), ticker.now().toString(), outcome,
                    reason, before, after, stop, moves, new RebalanceReport.Summary(moves.size(), succeeded, failed, notStarted),
                    warnings);
        }
    }

    /**
     * Plans a rebalance and, unless {@code dryRun}, makes it.
     *
     * @param maxMoves at most this many moves; empty: the planner's default
     * @param trigger  {@link #REQUEST} or {@link #SCHEDULE}
     */
    public RebalanceReport rebalance(boolean dryRun, OptionalInt maxMoves, String trigger, MigrationListener listener)
            throws InterruptedException {
        Run run = new Run("rebalance", trigger, null, dryRun);
        if (stopping || !oneAtATime.tryLock()) {
            return keep(run, run.refused(busy()));
        }
        try {
            current = "rebalance " + run.id;
            Inventory inv = current();
            PlannerSettings settings = settings(inv);
            if (maxMoves.isPresent()) {
                settings = settings.withMaxMoves(maxMoves.getAsInt());
            }
            Cluster cluster;
            try {
                cluster = observer.observe(inv, engine.active(), run.warnings::add);
            } catch (ObservationException e) {
                return keep(run, run.refused(e.getMessage()));
            }
            Plan plan = Planner.plan(cluster, settings);
            String stop = plan.stop().name().toLowerCase(Locale.ROOT);
            return keep(run, execute(run, plan.moves(), plan.scoreBefore(), plan.scoreAfter(), stop, listener));
        } finally {
            current = "";
            oneAtATime.unlock();
        }
    }

    /**
     * Puts {@code host} in maintenance and moves every guest off it. If the rest of the cluster
     * cannot hold them, nothing moves and the host's maintenance is as it was.
     *
     * @throws IllegalArgumentException {@code host} is not in the inventory
     */
    public RebalanceReport drain(String host, MigrationListener listener) throws InterruptedException, IOException {
        requireHost(host);
        Run run = new Run("drain", REQUEST, host, false);
        if (stopping || !oneAtATime.tryLock()) {
            return keep(run, run.refused(busy()));
        }
        try {
            current = "drain of " + host + " " + run.id;
            boolean began = maintenance.add(host);
            Inventory inv = current();
            DrainPlan plan;
            try {
                Cluster cluster = observer.observe(inv, engine.active(), run.warnings::add);
                if (cluster.hosts().stream().noneMatch(h -> h.name().equals(host))) {
                    throw new ObservationException(host + "'s libvirt does not answer, so its guests cannot be seen;"
                            + " nothing moved");
                }
                plan = Planner.drain(cluster, host, settings(inv));
            } catch (ObservationException | DrainRefusedException e) {
                if (began) {
                    maintenance.remove(host);
                }
                String reason = e instanceof DrainRefusedException d ? d.getMessage() + "; nothing moved"
                        + (began ? " and " + host + " is not in maintenance" : "") : e.getMessage();
                return keep(run, run.refused(reason));
            }
            return keep(run, execute(run, plan.moves(), plan.scoreBefore(), plan.scoreAfter(), null, listener));
        } finally {
            current = "";
            oneAtATime.unlock();
        }
    }

    /**
     * Ends the maintenance a drain began. A host in maintenance in the inventory stays so: that is
     * the operator's static choice, changed in the file.
     *
     * @throws IllegalArgumentException {@code host} is not in the inventory
     */
    public MaintenanceReport undrain(String host) throws IOException {
        Host h = requireHost(host);
        boolean ended = maintenance.remove(host);
        if (h.maintenance()) {
            return new MaintenanceReport(host, true, ended, host + " stays in maintenance: the inventory says"
                    + " 'maintenance: true' for it; remove that and restart the daemon to end it");
        }
        return new MaintenanceReport(host, false, ended, ended ? host + " takes guests again; 'aoemigrate rebalance'"
                + " moves some back" : host + " was not in maintenance");
    }

    private Host requireHost(String host) {
        return inventory.host(host).orElseThrow(() -> new IllegalArgumentException("there is no host " + host
                + " in the inventory; known hosts: " + String.join(", ", inventory.hostsInOrder().stream()
                        .map(Host::name).toList())));
    }

    private String busy() {
        if (stopping) {
            return "the daemon is stopping; nothing new starts";
        }
        return "a " + current + " is running; only one rebalance or drain runs at a time, try again when it ends";
    }

    private PlannerSettings settings(Inventory inv) {
        return PlannerSettings.defaults().withHoldTime(inv.rebalance().holdTime());
    }

    /** Runs the moves (unless a dry run) and reports each one. */
    private RebalanceReport execute(Run run, List<Move> moves, double before, double after, String stop,
            MigrationListener listener) {
        if (run.dryRun) {
            return run.report(RebalanceReport.PLANNED, null, before, after, stop,
                    moves.stream().map(m -> move(m, RebalanceReport.PLANNED, null, null)).toList());
        }
        List<Optional<MigrationResult>> results = runner.run(moves, listener);
        List<MoveReport> reports = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            Move m = moves.get(i);
            Optional<MigrationResult> r = results.get(i);
            reports.add(r.isEmpty() ? move(m, NOT_STARTED, null, "the run stopped before this move")
                    : move(m, r.get().outcome().name().toLowerCase(Locale.ROOT), r.get().id(),
                            r.get().succeeded() ? null : r.get().reason()));
        }
        boolean allMoved = reports.stream().allMatch(m -> m.outcome().equals(RebalanceReport.SUCCEEDED));
        String reason = allMoved ? null : (reports.size() - reports.stream().filter(m -> m.outcome()
                .equals(RebalanceReport.SUCCEEDED)).count()) + " of " + reports.size() + " move(s) did not succeed; see each"
                + " move's detail";
        return run.report(allMoved ? RebalanceReport.SUCCEEDED : RebalanceReport.FAILED, reason, before, after, stop, reports);
    }

    private static MoveReport move(Move m, String outcome, String migrationId, String detail) {
        return new MoveReport(m.guest(), m.source().host(), m.destination().host(), m.reason().name().toLowerCase(Locale.ROOT),
                m.why(), m.scoreBefore(), m.scoreAfter(), outcome, migrationId, detail);
    }

    /** Keeps a run that was not a dry run in the log; a log that fails is reported in the run, not fatal. */
    private RebalanceReport keep(Run run, RebalanceReport report) {
        if (run.dryRun) {
            return report;
        }
        try {
            runs.append(report);
        } catch (IOException e) {
            List<String> warnings = new ArrayList<>(report.warnings());
            warnings.add("the run log did not take this run: " + e.getMessage());
            return new RebalanceReport(report.id(), report.kind(), report.trigger(), report.host(), report.dryRun(),
                    report.startedAt(), report.endedAt(), report.outcome(), report.reason(), report.scoreBefore(),
                    report.scoreAfter(), report.stop(), report.moves(), report.summary(), warnings);
        }
        return report;
    }
}
