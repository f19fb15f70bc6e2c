package org.aoemigrate.orchestrator.api;

import java.util.List;

/**
 * The cluster now: {@code status}.
 *
 * @param recovering the migrations a crash left open that the daemon is settling since it started; no move starts
 *                   until this is empty (null from a daemon that does not say: empty)
 */
public record StatusReport(List<HostStatus> hosts, List<ExportReport> exports, List<ActiveMigration> migrations,
        List<ActiveMigration> recovering) {

    public StatusReport {
        hosts = List.copyOf(hosts);
        exports = List.copyOf(exports);
        migrations = List.copyOf(migrations);
        recovering = recovering == null ? List.of() : List.copyOf(recovering);
    }

    /**
     * One hypervisor.
     *
     * @param reachable its libvirt answered
     * @param error     why not, when it did not; otherwise null
     * @param guests    the domains its libvirt knows, in name order
     */
    public record HostStatus(String name, boolean reachable, boolean maintenance, String error, List<GuestStatus> guests) {

        public HostStatus {
            guests = List.copyOf(guests);
        }
    }

    /** @param state {@code running}, {@code paused}, {@code shut_off}, {@code crashed} or {@code other} */
    public record GuestStatus(String name, String state) {
    }

    /** A migration in flight; being recovered, {@code source} is null if the journal never named it. */
    public record ActiveMigration(String id, String guest, String source, String destination) {
    }
}
