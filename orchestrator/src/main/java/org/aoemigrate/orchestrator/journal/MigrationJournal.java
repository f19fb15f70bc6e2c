package org.aoemigrate.orchestrator.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only record of every migration step, so that a crash at any point can be settled
 * by {@code recover}. An interface so that a coordination service (etcd) can replace the file.
 */
public interface MigrationJournal {

    /** Appends one entry; when this returns, the entry survives a crash. */
    void append(JournalEntry entry) throws IOException;

    /** Every entry, oldest first. */
    List<JournalEntry> entries() throws IOException;

    /** Entries grouped by migration, in the order the migrations started. */
    default List<MigrationHistory> history() throws IOException {
        Map<String, List<JournalEntry>> byId = new LinkedHashMap<>();
        for (JournalEntry e : entries()) {
            byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
        }
        return byId.entrySet().stream().map(e -> new MigrationHistory(e.getKey(), e.getValue())).toList();
    }

    /** Migrations that started and did not end: what {@code recover} must look at. */
    default List<MigrationHistory> open() throws IOException {
        return history().stream().filter(MigrationHistory::isOpen).toList();
    }
}
