package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.RecoveryOutcome;

/**
 * The daemon's first job once its target serves: settle every migration the journal shows open
 * (the daemon died mid-migration), before the API accepts a new one. The target serves first
 * because a guest whose move was cut off may be waiting on its disk I/O.
 */
final class StartupRecovery {

    private StartupRecovery() {
    }

    /** Runs recover on every open migration; each event and the summary go to {@code log}. Never throws. */
    static void run(MigrationEngine engine, Consumer<String> log) {
        List<RecoveryOutcome> outcomes;
        try {
            outcomes = engine.recover(Optional.empty(), e -> log.accept("recover at start: " + e.id() + " " + e.guest()
                    + ": " + e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.message()));
        } catch (IOException e) {
            log.accept("recover at start: the journal cannot be read (" + e.getMessage() + "); open migrations stay"
                    + " unsettled, and new ones cannot be journaled: fix the journal, restart, or run 'aoemigrate recover'");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.accept("recover at start: interrupted; run 'aoemigrate recover' once the daemon is up");
            return;
        }
        long open = outcomes.stream().filter(o -> !o.settled()).count();
        log.accept(outcomes.isEmpty() ? "recover at start: no open migrations"
                : "recover at start: " + (outcomes.size() - open) + " settled, " + open + " left open"
                        + (open == 0 ? "" : " for the operator ('aoemigrate recover' says what to do)"));
    }
}
