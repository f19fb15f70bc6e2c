package org.aoemigrate.orchestrator.rebalance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.MigrationListener;
import org.aoemigrate.orchestrator.engine.MigrationOrder;
import org.aoemigrate.orchestrator.engine.MigrationOutcome;
import org.aoemigrate.orchestrator.engine.MigrationResult;
import org.aoemigrate.orchestrator.engine.PreflightCheck;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.MigrationLimits;
import org.aoemigrate.orchestrator.planner.Move;

/**
 * Runs a plan's moves through the engine, rolling: as many at once as the limits allow (in the
 * cluster, out of each host, into each host, counting migrations other clients run), and a new
 * one as soon as a slot frees. A move waits for every earlier move out of its destination, since
 * the plan counted on the room that move makes, and for an earlier move of the same guest.
 *
 * <p>Each move is an ordinary migration: preflight, journal, fence. One that fails does not stop
 * the others; the caller reads each result.
 */
final class MoveRunner {

    /** A refusal for limits can only be a race with another client; after this many, the move is given up. */
    private static final int LIMIT_RETRIES = 20;

    private final MigrationEngine engine;
    private final Supplier<Inventory> inventory;
    private final Duration recheck;
    private final BooleanSupplier stopping;

    /**
     * @param recheck  how often to look again for a free slot when another client's migration holds one
     * @param stopping true once no move may start any more (the daemon is stopping)
     */
    MoveRunner(MigrationEngine engine, Supplier<Inventory> inventory, Duration recheck, BooleanSupplier stopping) {
        this.engine = engine;
        this.inventory = inventory;
        this.recheck = recheck;
        this.stopping = stopping;
    }

    /** One run: the state of each move, guarded by this object's monitor. */
    private final class Run {
        final List<Move> moves;
        final MigrationListener listener;
        final MigrationResult[] results;
        final boolean[] started;
        final boolean[] done;
        final int[] retries;
        int running;

        Run(List<Move> moves, MigrationListener listener) {
            this.moves = moves;
            this.listener = listener;
            results = new MigrationResult[moves.size()];
            started = new boolean[moves.size()];
            done = new boolean[moves.size()];
            retries = new int[moves.size()];
        }

        synchronized void go() throws InterruptedException {
            try {
                while (true) {
                    boolean stop = stopping.getAsBoolean();
                    if (!stop) {
                        launchWhatFits();
                    }
                    if (running == 0 && (stop || allStarted())) {
                        return;
                    }
                    wait(recheck.toMillis());
                }
            } catch (InterruptedException e) {
                // stop starting moves; those in flight end by themselves (the daemon aborts them when it stops)
                while (running > 0) {
                    wait();
                }
                throw e;
            }
        }

        private boolean allStarted() {
            for (int j = 0; j < moves.size(); j++) {
                if (!started[j]) {
                    return false;
                }
            }
            return true;
        }

        private void launchWhatFits() {
            MigrationLimits limits = inventory.get().limits();
            for (int j = 0; j < moves.size(); j++) {
                if (started[j] || !waitedFor(j) || !fits(j, limits)) {
                    continue;
                }
                started[j] = true;
                running++;
                int move = j;
                Thread t = new Thread(() -> migrate(move), "rebalance-" + moves.get(j).guest());
                t.setDaemon(true);
                t.start();
            }
        }

        /** Every earlier move out of this one's destination, and of the same guest, has ended. */
        private boolean waitedFor(int j) {
            Move m = moves.get(j);
            for (int i = 0; i < j; i++) {
                Move earlier = moves.get(i);
                boolean needed = earlier.source().host().equals(m.destination().host()) || earlier.guest().equals(m.guest());
                if (needed && !done[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The limits, counted over the engine's migrations and this run's that it may not list yet. */
        private boolean fits(int j, MigrationLimits limits) {
            Map<String, String[]> flying = new HashMap<>();
            engine.active().forEach(a -> flying.put(a.guest(), new String[] {a.source(), a.destination()}));
            for (int i = 0; i < moves.size(); i++) {
                if (started[i] && !done[i]) {
                    Move m = moves.get(i);
                    flying.putIfAbsent(m.guest(), new String[] {m.source().host(), m.destination().host()});
                }
            }
            Move m = moves.get(j);
            long out = flying.values().stream().filter(f -> f[0].equals(m.source().host())).count();
            long in = flying.values().stream().filter(f -> f[1].equals(m.destination().host())).count();
            return flying.size() < limits.global() && out < limits.perHostOutbound() && in < limits.perHostInbound();
        }

        private void migrate(int j) {
            Move m = moves.get(j);
            MigrationResult r = null;
            try {
                r = engine.migrate(MigrationOrder.of(m.guest(), m.destination().host()), listener);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                running--;
                boolean raced = r != null && r.outcome() == MigrationOutcome.REFUSED
                        && r.failedCheck().equals(Optional.of(PreflightCheck.LIMITS)) && retries[j] < LIMIT_RETRIES;
                if (raced) {
                    retries[j]++;
                    started[j] = false;
                } else {
                    results[j] = r;
                    done[j] = true;
                }
                notifyAll();
            }
        }

        synchronized List<Optional<MigrationResult>> results() {
            List<Optional<MigrationResult>> l = new ArrayList<>();
            for (MigrationResult r : results) {
                l.add(Optional.ofNullable(r));
            }
            return l;
        }
    }

    /**
     * Runs {@code moves} and returns each one's result, in plan order; empty for a move that did not
     * start (the daemon began to stop, or the caller's thread was interrupted: its flag stays set). Blocks until
     * every started move has ended.
     */
    List<Optional<MigrationResult>> run(List<Move> moves, MigrationListener listener) {
        Run run = new Run(moves, listener);
        try {
            run.go();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return run.results();
    }
}
