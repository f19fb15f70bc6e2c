package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.api.ApiError;
import org.aoemigrate.orchestrator.api.ApiException;
import org.aoemigrate.orchestrator.api.StatusReport.ActiveMigration;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.RecoveryOutcome;
import org.aoemigrate.orchestrator.journal.MigrationHistory;
import org.aoemigrate.orchestrator.journal.MigrationJournal;

/**
 * The daemon's first job once its target serves: settle every migration the journal shows open
 * (the daemon died mid-migration). The target serves first because a guest whose move was cut
 * off may be waiting on its disk I/O.
 *
 * <p>It runs on a thread of its own while the API already answers: settling can take minutes (it
 * waits up to 5 min for a migration libvirt still runs on its own, and a host that does not
 * answer holds up each call to it), and a daemon that looks down all that time tells the operator
 * nothing. Meanwhile requests that change no guest are served, and {@code status} lists what is
 * being settled; requests that would start a move or settle a migration are refused
 * ({@link #refuseWhileSettling}, {@link #refuseIfSettling}): until recovery has settled a guest
 * nobody knows where it runs, and the limits do not count the jobs libvirt still runs for the
 * dead daemon, so no move starts before recovery ends.
 */
final class StartupRecovery {

    private final MigrationEngine engine;
    private final Consumer<String> log;
    /** What recovery settles; empty once it has ended (or had nothing to do). */
    private volatile List<ActiveMigration> settling;
    private Thread thread;

    private StartupRecovery(MigrationEngine engine, Consumer<String> log, List<ActiveMigration> settling) {
        this.engine = engine;
        this.log = log;
        this.settling = settling;
    }

    /**
     * Reads which migrations the journal shows open, so that the API refuses moves from its first
     * request on; settles nothing yet. Never throws.
     */
    static StartupRecovery prepare(MigrationEngine engine, MigrationJournal journal, Consumer<String> log) {
        List<MigrationHistory> open;
        try {
            open = journal.open();
            if (open.isEmpty()) {
                log.accept("recover at start: no open migrations");
            }
        } catch (IOException e) {
            log.accept(unreadable(e));
            open = List.of();
        }
        List<ActiveMigration> settling = open.stream().map(Reports::of)
                .map(h -> new ActiveMigration(h.id(), h.guest(), h.source(), h.destination())).toList();
        return new StartupRecovery(engine, log, settling);
    }

    /**
     * Settles the open migrations on a thread of its own, then runs {@code then} there; with none
     * open, runs {@code then} at once. A recovery stopped by {@link #stop} does not run it.
     */
    void start(Runnable then) {
        if (settling.isEmpty()) {
            then.run();
            return;
        }
        log.accept("recover at start: settling " + settling.size() + " open migration(s) (" + describe(settling)
                + "); the API answers meanwhile and starts no move until they are settled");
        thread = new Thread(() -> {
            if (settle()) {
                then.run();
            }
        }, "aoemigrate recover at start");
        thread.setDaemon(true);
        thread.start();
    }

    /** The migrations recovery is settling now; empty once it has ended. */
    List<ActiveMigration> settling() {
        return settling;
    }

    /** Refuses a request that would start a move or settle a migration while recovery runs. */
    void refuseWhileSettling(String op) throws ApiException {
        List<ActiveMigration> now = settling;
        if (!now.isEmpty()) {
            throw new ApiException(ApiError.RECOVERING, "no " + op + " while the daemon settles the migration(s) its last"
                    + " run left open (" + describe(now) + "): wait until 'aoemigrate status' no longer lists them under"
                    + " recovering, then ask again");
        }
    }

    /** Refuses a request that names ({@code guestOrId}) a migration recovery is settling. */
    void refuseIfSettling(String op, String guestOrId) throws ApiException {
        Optional<ActiveMigration> named = settling.stream()
                .filter(m -> m.id().equals(guestOrId) || m.guest().equals(guestOrId)).findFirst();
        if (named.isPresent()) {
            throw new ApiException(ApiError.RECOVERING, "no " + op + " of " + guestOrId + " while the daemon settles"
                    + " the migration its last run left open (" + describe(List.of(named.get())) + "): wait until"
                    + " 'aoemigrate status' no longer lists it under recovering, then ask again");
        }
    }

    /** Stops a recovery still running (the daemon is stopping) and waits up to {@code wait} for it to end. */
    void stop(Duration wait) {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs recover on every open migration; each event and the summary go to the log. False if interrupted. */
    private boolean settle() {
        List<RecoveryOutcome> outcomes;
        try {
            outcomes = engine.recover(Optional.empty(), e -> log.accept("recover at start: " + e.id() + " " + e.guest()
                    + ": " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.message()));
        } catch (IOException e) {
            log.accept(unreadable(e));
            settling = List.of();
            return true;
        } catch (InterruptedException e) {
            // the daemon is stopping: the moves stay refused until the API closes; the next start settles them
            log.accept("recover at start: interrupted; the next start settles what is still open");
            return false;
        }
        long open = outcomes.stream().filter(o -> !o.settled()).count();
        log.accept("recover at start: " + (outcomes.size() - open) + " settled, " + open + " left open"
                + (open == 0 ? "" : " for the operator ('aoemigrate recover' says what to do)"));
        settling = List.of();
        return true;
    }

    private static String unreadable(IOException e) {
        return "recover at start: the journal cannot be read (" + e.getMessage() + "); open migrations stay unsettled,"
                + " and new ones cannot be journaled: fix the journal, restart, or run 'aoemigrate recover'";
    }

    private static String describe(List<ActiveMigration> migrations) {
        return migrations.stream().map(m -> m.id() + ": " + m.guest() + " " + (m.source() == null ? "?" : m.source()) + " -> "
                + m.destination()).collect(Collectors.joining(", "));
    }
}
