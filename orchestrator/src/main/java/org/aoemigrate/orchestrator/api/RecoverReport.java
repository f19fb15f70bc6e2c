package org.aoemigrate.orchestrator.api;

import java.util.List;

/** {@code recover}: one item per open migration it looked at (none: nothing was open). */
public record RecoverReport(List<Item> migrations) {

    public RecoverReport {
        migrations = List.copyOf(migrations);
    }

    /** True if every migration looked at is settled (also when there was none). */
    public boolean allSettled() {
        return migrations.stream().allMatch(Item::settled);
    }

    /**
     * One open migration.
     *
     * @param source  as the journal has it; null if it stopped before preflight found one
     * @param found   what the hosts said: where the guest is, in which state, and who holds its disks
     * @param runsOn  the one host the guest runs on now; null if none or several
     * @param settled the guest runs exactly once, defined there only, the reservation names that host,
     *                and the journal closed the migration ({@code recovered}); false: the operator must act
     * @param action  what recover did, or what the operator must do
     */
    public record Item(String id, String guest, String source, String destination, String found, String runsOn,
            boolean settled, String action) {
    }
}
