package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.MigrationEvent.Kind;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.aoemigrate.orchestrator.journal.MigrationJournal;

/**
 * Moves guests: {@code aoemigrate vm1 hostB} ends up in {@link #migrate}. Thread-safe: the daemon
 * calls it from one thread per request; the per-guest lock and the limits are shared.
 *
 * <p>Every refusal comes before anything changed, or (the destination's initiator check, which
 * needs the disks reserved to both hosts) puts back the one thing that had. Every migration that started is journaled
 * step by step, and ends with the guest running exactly once and the reservation naming the host
 * it runs on, or with a reason that says otherwise and what to do.
 */
public final class MigrationEngine {

    /** What a run needs from the engine. */
    record Context(MigrationEngine engine, MigrationListener listener) {

        Ticker ticker() {
            return engine.ticker;
        }

        Duration pollInterval() {
            return engine.pollInterval;
        }

        StorageFence fence() {
            return engine.fence;
        }

        DestinationCheck destinationCheck() {
            return engine.destinationCheck;
        }

        SingleCopyGuard guard() {
            return engine.guard;
        }

        void emit(MigrationPlan plan, Kind kind, String message, Optional<JobStats> stats) {
            engine.emit(listener, plan.id(), plan.guest(), kind, message, stats);
        }

        /** Journals a step and tells the listener; a journal that fails mid-move is reported, not fatal. */
        void record(MigrationPlan plan, JournalStep step, Kind kind, String detail) {
            try {
                engine.journal.append(new JournalEntry(engine.ticker.now(), plan.id(), step, plan.guest(),
                        plan.source().name(), plan.destination().name(), detail));
            } catch (IOException e) {
                emit(plan, Kind.WARNING, "the journal did not take step " + step + ": " + e.getMessage(), Optional.empty());
            }
            emit(plan, kind, detail, Optional.empty());
        }
    }

    /** A migration in flight, as {@link #active} lists it. */
    public record ActiveMigration(String id, String guest, String source, String destination) {
    }

    /** Marks a guest that was paused before its move, in the PREFLIGHT_OK entry, so recover leaves it paused. */
    static final String STARTED_PAUSED = "started paused";

    private final Supplier<Inventory> inventory;
    private final Hypervisors hypervisors;
    private final StorageFence fence;
    private final DestinationCheck destinationCheck;
    private final MigrationJournal journal;
    private final Ticker ticker;
    private final Duration pollInterval;
    private final MigrationSlots slots = new MigrationSlots();
    private final Preflight preflight;
    private final SingleCopyGuard guard;
    /** One recovery at a time: the daemon's at start and an operator's must not settle one migration twice. */
    private final Object recovering = new Object();

    /**
     * @param inventory    the current inventory (the daemon may reload it between migrations)
     * @param pollInterval how often a running migration's statistics are read
     */
    public MigrationEngine(Supplier<Inventory> inventory, Hypervisors hypervisors, StorageFence fence,
            DestinationCheck destinationCheck, MigrationJournal journal, Ticker ticker, Duration pollInterval) {
        this.inventory = inventory;
        this.hypervisors = hypervisors;
        this.fence = fence;
        this.destinationCheck = destinationCheck;
        this.journal = journal;
        this.ticker = ticker;
        this.pollInterval = pollInterval;
        this.preflight = new Preflight(hypervisors, slots, fence);
        this.guard = new SingleCopyGuard(hypervisors, inventory);
    }

    /**
     * Moves {@code order.guest()} to {@code order.destination()} and returns how it ended; events
     * go to {@code listener} as they happen. Blocks for the whole migration.
     */
    public MigrationResult migrate(MigrationOrder order, MigrationListener listener) throws InterruptedException {
        Instant started = ticker.now();
        String id = newId();
        Inventory inv = inventory.get();
        Context ctx = new Context(this, listener);
        try {
            journal.append(new JournalEntry(started, id, JournalStep.STARTED, order.guest(), "", order.destination(),
                    "requested"));
        } catch (IOException e) {
            return refused(id, order, Optional.empty(), started, new Refusal(PreflightCheck.JOURNAL,
                    "the journal cannot be written (" + e.getMessage() + "); nothing moves without it"), listener);
        }
        emit(listener, id, order.guest(), Kind.STARTED, "moving " + order.guest() + " to " + order.destination(),
                Optional.empty());
        String[] source = {null};
        MigrationPlan plan;
        try {
            plan = preflight.run(id, order, inv, s -> source[0] = s, this::prepareDestinationCheck,
                    w -> emit(listener, id, order.guest(), Kind.WARNING, w, Optional.empty()),
                    a -> emit(listener, id, order.guest(), Kind.SPLIT_BRAIN, a, Optional.empty()));
        } catch (RefusedException e) {
            Refusal r = e.refusal();
            journalRefusal(id, order, source[0], r.check() + ": " + r.reason());
            return refused(id, order, Optional.ofNullable(source[0]), started, r, listener);
        }
        try (MigrationSlots.Slot slot = plan.slot()) {
            ctx.record(plan, JournalStep.PREFLIGHT_OK, Kind.PREFLIGHT_PASSED, "disks " + plan.exports().stream()
                    .map(e -> e.name() + "@" + e.address()).toList() + ", cutover " + plan.policy().cutover()
                    + (plan.startedPaused() ? ", " + STARTED_PAUSED : ""));
            return new MigrationRun(plan, ctx, started).run();
        }
    }

    /**
     * Lets the destination's initiator check start, during preflight, what of it needs no
     * reservation. Whatever that does, the check after the reservation gives the verdict, so a
     * failure here must not end the move: it is ignored, and the check runs as without it.
     */
    private void prepareDestinationCheck(Host destination, List<ExportDisk> exports) {
        try {
            destinationCheck.prepare(destination, exports);
        } catch (RuntimeException e) {
            // a broken prepare costs only the time it was to save
        }
    }

    /** Ends a migration that changed nothing, so {@code recover} does not see it as open. */
    private void journalRefusal(String id, MigrationOrder order, String source, String detail) {
        try {
            journal.append(new JournalEntry(ticker.now(), id, JournalStep.REFUSED, order.guest(), source == null ? "" : source,
                    order.destination(), detail));
        } catch (IOException ignored) {
            // the refusal changed nothing, so a missing journal line loses no state
        }
    }

    private MigrationResult refused(String id, MigrationOrder order, Optional<String> source, Instant started, Refusal r,
            MigrationListener listener) {
        emit(listener, id, order.guest(), Kind.REFUSED, r.reason(), Optional.empty());
        return new MigrationResult(id, order.guest(), source, order.destination(), MigrationOutcome.REFUSED, r.reason(),
                Optional.of(r.check()), order.policy().orElse(inventory.get().policy()).cutover(),
                Duration.between(started, ticker.now()).toMillis(), 0, 0, 0, 0);
    }

    /** Asks the migration of a guest (or with this id) to abort; false if none runs. */
    public boolean abort(String guestOrId, String reason) {
        Optional<MigrationSlots.Slot> s = slots.find(guestOrId);
        s.ifPresent(slot -> slot.requestAbort(reason));
        return s.isPresent();
    }

    /** The migrations in flight. */
    public List<ActiveMigration> active() {
        return slots.all().stream().map(s -> new ActiveMigration(s.id, s.guest, s.source, s.destination)).toList();
    }

    /**
     * Runs the preflight checks of {@code order} and changes nothing: no journal line, no
     * reservation; the slot preflight takes is given back at once. Empty if a migration would start.
     * The destination's initiator check runs only on exports the destination may already read
     * (unreserved, or reserved to it too): the others it can read only once a migration has
     * reserved them to both hosts, which a dry run must not do.
     */
    public Optional<Refusal> check(MigrationOrder order) throws InterruptedException {
        MigrationPlan plan;
        try {
            plan = preflight.run(newId(), order, inventory.get(), s -> { }, (h, e) -> { }, w -> { }, a -> { });
        } catch (RefusedException e) {
            return Optional.of(e.refusal());
        }
        try (MigrationSlots.Slot slot = plan.slot()) {
            List<ExportDisk> readable = plan.exports().stream().filter(e -> {
                Set<MacAddress> held = plan.reservations().getOrDefault(e.address(), Set.of());
                return held.isEmpty() || plan.destination().macs().stream().anyMatch(held::contains);
            }).toList();
            return Preflight.initiatorRefusal(destinationCheck, plan.destination(), readable);
        }
    }

    /**
     * Settles every migration the journal shows as started and never ended (a crash, a killed
     * daemon), or with {@code which} only the one with that id or guest, except those running in
     * this engine now: see {@link MigrationRecovery}. Empty if none is open.
     */
    public List<RecoveryOutcome> recover(Optional<String> which, MigrationListener listener)
            throws IOException, InterruptedException {
        synchronized (recovering) {
            return new MigrationRecovery(inventory.get(), hypervisors, fence, journal, ticker, pollInterval, guard,
                    destinationCheck, listener)
                    .recover(which, guest -> slots.find(guest).isPresent());
        }
    }

    /** Where a guest is, as every host answers now. */
    public GuestLocation locate(String guest) {
        return new GuestLocator(hypervisors).locate(inventory.get(), guest);
    }

    private void emit(MigrationListener listener, String id, String guest, Kind kind, String message,
            Optional<JobStats> stats) {
        try {
            listener.on(new MigrationEvent(ticker.now(), id, guest, kind, message, stats));
        } catch (RuntimeException e) {
            // a broken listener (a client that went away) must not break a migration half-way
        }
    }

    private static String newId() {
        return "m-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
