package org.aoemigrate.orchestrator.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the journal: a step of migration {@code id}.
 *
 * @param detail what a reader needs to understand or undo the step: the reason of a refusal or
 *               failure, the MACs of a reservation, the figures of a finish
 */
public record JournalEntry(Instant at, String id, JournalStep step, String guest, String source, String destination,
        String detail) {

    public JournalEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(step, "step");
        detail = detail == null ? "" : detail;
    }
}
