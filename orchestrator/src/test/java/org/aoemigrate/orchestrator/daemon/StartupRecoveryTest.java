package org.aoemigrate.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.aoemigrate.orchestrator.api.ApiClient;
import org.aoemigrate.orchestrator.api.ApiError;
import org.aoemigrate.orchestrator.api.ApiException;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.CheckReport;
import org.aoemigrate.orchestrator.api.ExportsReport;
import org.aoemigrate.orchestrator.api.HistoryReport;
import org.aoemigrate.orchestrator.api.MigrationReport;
import org.aoemigrate.orchestrator.api.StatusReport;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.aoemigrate.orchestrator.journal.MigrationHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that starts on the journal of one that died mid-migration settles it, answering the API
 * meanwhile but starting no move before it has.
 */
@Timeout(60)
class StartupRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void theDaemonSettlesWhatItsPredecessorLeftOpen() throws Exception {
        TestDaemon.start(dir).close();
        TestDaemon.diedAfter(dir, JournalStep.RESERVED);

        try (TestDaemon d = TestDaemon.start(dir)) {
            String log = d.log.toString();
            assertThat(log).contains("aoemigrate daemon: recover at start: settling 1 open migration(s) (m-0000dead: vm1"
                    + " hostA -> hostB); the API answers meanwhile and starts no move until they are settled\n",
                    "aoemigrate daemon: recover at start: m-0000dead vm1: finished: recovered: found vm1"
                    + " running on hostA, not defined on hostB; e1.0 unreserved; e1.0 reserved to hostA\n",
                    "aoemigrate daemon: recover at start: 1 settled, 0 left open\n");
            ApiClient client = new ApiClient(d.socket());
            HistoryReport history = client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class);
            assertThat(history.migrations()).singleElement().satisfies(m -> {
                assertThat(m.lastStep()).isEqualTo("recovered");
                assertThat(m.open()).isFalse();
            });
            ExportsReport exports = client.call(ApiRequest.of(ApiRequest.Op.EXPORTS), ExportsReport.class);
            assertThat(exports.exports()).filteredOn(e -> e.address().equals("e1.0")).singleElement()
                    .satisfies(e -> assertThat(e.reservedHosts()).containsExactly("hostA"));
        }
    }

    /**
     * The dead daemon's migration of vm1 still runs in libvirt, so recovery waits for it (the
     * clock is held to keep it waiting): meanwhile what reads is answered, and what would move a
     * guest, or touch vm1's migration, is refused, naming it; once recovery has followed vm1 to
     * hostB, moves start again.
     */
    @Test
    void whileItSettlesTheApiAnswersReadsAndRefusesMoves() throws Exception {
        try (TestDaemon d = TestDaemon.startWhileLibvirtStillMovesVm1(dir)) {
            ApiClient client = new ApiClient(d.socket());

            StatusReport status = client.call(ApiRequest.of(ApiRequest.Op.STATUS), StatusReport.class);
            assertThat(status.recovering()).containsExactly(new StatusReport.ActiveMigration("m-0000dead", "vm1", "hostA",
                    "hostB"));
            assertThat(status.migrations()).isEmpty();
            assertThat(status.hosts()).extracting(StatusReport.HostStatus::name).containsExactly("hostA", "hostB", "hostC");
            HistoryReport history = client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class);
            assertThat(history.migrations()).singleElement().satisfies(m -> assertThat(m.open()).isTrue());
            assertThat(client.call(ApiRequest.of(ApiRequest.Op.EXPORTS), ExportsReport.class).exports()).hasSize(2);
            assertThat(client.call(ApiRequest.check("vm2", "hostB", null), CheckReport.class).guest()).isEqualTo("vm2");

            String waitForStatus = "wait until 'aoemigrate status' no longer lists them under recovering, then ask again";
            assertRecovering(client, ApiRequest.migrate("vm2", "hostB", null), "no migrate while the daemon settles the"
                    + " migration(s) its last run left open (m-0000dead: vm1 hostA -> hostB): " + waitForStatus);
            assertRecovering(client, ApiRequest.drain("hostA"), "no drain while", waitForStatus);
            assertRecovering(client, ApiRequest.rebalance(false, null), "no rebalance while", waitForStatus);
            assertRecovering(client, ApiRequest.recover(null), "no recover while", waitForStatus);
            assertRecovering(client, ApiRequest.abort("m-0000dead"), "no abort of m-0000dead while the daemon settles the"
                    + " migration its last run left open (m-0000dead: vm1 hostA -> hostB): wait until 'aoemigrate status'"
                    + " no longer lists it under recovering, then ask again");
            assertRecovering(client, ApiRequest.check("vm1", "hostB", null), "no check of vm1 while");
            assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");
            assertThat(client.call(ApiRequest.of(ApiRequest.Op.HISTORY), HistoryReport.class).migrations())
                    .extracting(HistoryReport.Item::id).containsExactly("m-0000dead");

            d.releaseClock();
            d.awaitRecovered();
            assertThat(d.log.toString()).contains("recover at start: 1 settled, 0 left open\n");
            assertThat(d.cluster.activeOn("vm1")).containsExactly("hostB");
            MigrationReport back = client.call(ApiRequest.migrate("vm1", "hostA", null), e -> { }).as(MigrationReport.class);
            assertThat(back.outcome()).isEqualTo("succeeded");
        }
    }

    /** A stop (SIGTERM) while recovery waits ends it at once; the migration stays open for the next start. */
    @Test
    void aStopDuringRecoveryEndsItAndLeavesTheMigrationOpen() throws Exception {
        try (TestDaemon d = TestDaemon.startWhileLibvirtStillMovesVm1(dir)) {
            d.daemon.close();

            assertThat(d.log.toString()).contains("recover at start: interrupted; the next start settles what is still open\n",
                    "aoemigrate daemon: stopped");
            assertThat(new FileMigrationJournal(new StateLayout(d.stateDir).journal()).open())
                    .extracting(MigrationHistory::id).containsExactly("m-0000dead");
        }
    }

    private static void assertRecovering(ApiClient client, ApiRequest request, String... said) {
        assertThatThrownBy(() -> client.call(request, Object.class)).as(request.op().wire())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ApiError.RECOVERING);
                    assertThat(e.getMessage()).contains(said);
                });
    }

    @Test
    void aDaemonWithNothingOpenSaysSo() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir)) {
            assertThat(d.log.toString()).contains("aoemigrate daemon: recover at start: no open migrations\n");
        }
    }
}
