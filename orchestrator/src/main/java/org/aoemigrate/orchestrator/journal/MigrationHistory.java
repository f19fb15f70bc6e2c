package org.aoemigrate.orchestrator.journal;

import java.util.List;
import java.util.Optional;

/** All journal entries of one migration, oldest first. */
public record MigrationHistory(String id, List<JournalEntry> entries) {

    public MigrationHistory {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a migration history needs at least one entry");
        }
    }

    public JournalEntry first() {
        return entries.get(0);
    }

    public JournalEntry last() {
        return entries.get(entries.size() - 1);
    }

    /** True if it started and never ended: a crash interrupted it, and {@code recover} must settle it. */
    public boolean isOpen() {
        return !last().step().ends();
    }

    public Optional<JournalEntry> step(JournalStep step) {
        return entries.stream().filter(e -> e.step() == step).findFirst();
    }
}
