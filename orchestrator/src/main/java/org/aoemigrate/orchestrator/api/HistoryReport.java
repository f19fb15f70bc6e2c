package org.aoemigrate.orchestrator.api;

import java.util.List;

/**
 * {@code history}: the journal, one item per migration, oldest first; and every rebalance and
 * drain run with its plan and outcome, oldest first.
 */
public record HistoryReport(List<Item> migrations, List<RebalanceReport> runs) {

    public HistoryReport {
        migrations = List.copyOf(migrations);
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** Migrations only: a daemon with no runs. */
    public HistoryReport(List<Item> migrations) {
        this(migrations, List.of());
    }

    /**
     * One migration as the journal tells it.
     *
     * @param startedAt  ISO-8601 time of its first entry
     * @param endedAt    of its last entry
     * @param lastStep   lower case journal step: {@code finished}, {@code failed}, {@code aborted},
     *                   {@code refused}, or a step in between while it runs (or if a crash cut it off)
     * @param open       it never ended: running now, or interrupted (then {@code recover} must settle it)
     * @param detail     the last entry's detail: a reason, or the figures of a finish
     */
    public record Item(String id, String guest, String source, String destination, String startedAt, String endedAt,
            String lastStep, boolean open, String detail) {
    }
}
