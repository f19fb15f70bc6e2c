package org.aoemigrate.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.aoemigrate.orchestrator.api.ApiClient;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.ExportsReport;
import org.aoemigrate.orchestrator.api.HistoryReport;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A daemon that starts on the journal of one that died mid-migration settles it before it serves the API. */
@Timeout(60)
class StartupRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void theDaemonSettlesWhatItsPredecessorLeftOpenBeforeAcceptingRequests() throws Exception {
        TestDaemon.start(dir).close();
        FileMigrationJournal journal = new FileMigrationJournal(new StateLayout(dir.resolve("state")).journal());
        for (JournalStep s : new JournalStep[] {JournalStep.STARTED, JournalStep.PREFLIGHT_OK, JournalStep.RESERVED}) {
            journal.append(new JournalEntry(Instant.now(), "m-0000dead", s, "vm1", s == JournalStep.STARTED ? "" : "hostA",
                    "hostB", ""));
        }

        try (TestDaemon d = TestDaemon.start(dir)) {
            String log = d.log.toString();
            assertThat(log).contains("aoemigrate daemon: recover at start: m-0000dead vm1: finished: recovered: found vm1"
                    + " running on hostA, not defined on hostB; e1.0 unreserved; e1.0 reserved to hostA\n",
                    "aoemigrate daemon: recover at start: 1 settled, 0 left open\n");
            assertThat(log.indexOf("recover at start")).as("recovered before the API was up").isLessThan(log.indexOf("serving"));
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

    @Test
    void aDaemonWithNothingOpenSaysSo() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir)) {
            assertThat(d.log.toString()).contains("aoemigrate daemon: recover at start: no open migrations\n");
        }
    }
}
