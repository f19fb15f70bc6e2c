package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.orchestrator.api.ApiServer;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.cli.AoemigrateCommandTest.Run;
import org.aoemigrate.orchestrator.daemon.StateLayout;
import org.aoemigrate.orchestrator.daemon.TestDaemon;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code aoemigrate recover} against a real daemon in this process, and what migrate says when its daemon goes away. */
@Timeout(60)
class RecoverCommandTest {

    @TempDir
    Path dir;

    /** The journal lines a daemon killed during vm1's copy to hostB leaves behind. */
    private static void crashedDuringTheCopy(TestDaemon d) throws Exception {
        FileMigrationJournal journal = new FileMigrationJournal(new StateLayout(d.stateDir).journal());
        for (JournalStep s : new JournalStep[] {JournalStep.STARTED, JournalStep.PREFLIGHT_OK, JournalStep.RESERVED,
                JournalStep.MIGRATING}) {
            journal.append(new JournalEntry(Instant.now(), "m-0000dead", s, "vm1", s == JournalStep.STARTED ? "" : "hostA",
                    "hostB", ""));
        }
    }

    @Test
    void withNothingOpenItSaysSoAndAnUnknownIdExitsWithSeven() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir)) {
            Run none = AoemigrateCommandTest.run("--config", d.config.toString(), "recover");
            assertThat(none.status()).isZero();
            assertThat(none.out()).isEqualTo("no open migrations: nothing to recover\n");

            Run unknown = AoemigrateCommandTest.run("--config", d.config.toString(), "recover", "m-nope");
            assertThat(unknown.status()).isEqualTo(ExitStatus.NOT_FOUND.code());
            assertThat(unknown.err()).contains("no open migration m-nope");
        }
    }

    @Test
    void anOpenMigrationIsSettledWhereTheGuestRunsAndTheHistoryShowsIt() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir)) {
            crashedDuringTheCopy(d);

            Run r = AoemigrateCommandTest.run("--config", d.config.toString(), "recover");

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("""
                    m-0000dead  vm1  hostA -> hostB: settled, runs on hostA
                      found: vm1 running on hostA, not defined on hostB; e1.0 unreserved
                      done:  e1.0 reserved to hostA
                    """);
            assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
            Run history = AoemigrateCommandTest.run("--config", d.config.toString(), "--json", "history");
            JsonNode last = history.json().path("migrations").get(0);
            assertThat(last.path("last_step").asText()).isEqualTo("recovered");
            assertThat(last.path("open").asBoolean()).isFalse();
            assertThat(last.path("detail").asText()).isEqualTo("found vm1 running on hostA, not defined on hostB;"
                    + " e1.0 unreserved; e1.0 reserved to hostA");
        }
    }

    @Test
    void aSplitBrainExitsWithOneAndTouchesNothing() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir)) {
            crashedDuringTheCopy(d);
            d.cluster.forceSecondCopy("vm1", "hostB");

            Run r = AoemigrateCommandTest.run("--config", d.config.toString(), "--json", "recover", "vm1");

            assertThat(r.status()).isEqualTo(ExitStatus.FAILED.code());
            JsonNode m = r.json().path("migrations").get(0);
            assertThat(m.path("id").asText()).isEqualTo("m-0000dead");
            assertThat(m.path("settled").asBoolean()).isFalse();
            assertThat(m.path("runs_on").isNull()).isTrue();
            assertThat(m.path("found").asText()).isEqualTo("vm1 running on hostA, running on hostB; e1.0 unreserved");
            assertThat(m.path("action").asText()).startsWith("vm1 is active on hostA and hostB: split brain; nothing touched");
            assertThat(d.cluster.activeOn("vm1")).containsExactlyInAnyOrder("hostA", "hostB");
            d.cluster.killHost("hostB");
        }
    }

    @Test
    void whileTheDaemonSettlesAtStartStatusSaysWhatAndAMoveIsRefusedWithThree() throws Exception {
        try (TestDaemon d = TestDaemon.startWhileLibvirtStillMovesVm1(dir)) {
            Run status = AoemigrateCommandTest.run("--config", d.config.toString(), "--json", "status");
            assertThat(status.status()).as(status.err()).isZero();
            JsonNode recovering = status.json().path("recovering");
            assertThat(recovering).singleElement().satisfies(m -> {
                assertThat(m.path("id").asText()).isEqualTo("m-0000dead");
                assertThat(m.path("guest").asText()).isEqualTo("vm1");
            });
            Run text = AoemigrateCommandTest.run("--config", d.config.toString(), "status");
            assertThat(text.out()).contains("RECOVERING (the daemon settles what its last run left open; no move starts"
                    + " until it has)\n  m-0000dead  vm1  hostA -> hostB");

            Run move = AoemigrateCommandTest.run("--config", d.config.toString(), "vm2", "hostB");
            assertThat(move.status()).isEqualTo(ExitStatus.REFUSED.code());
            assertThat(move.err()).contains("the daemon says: no migrate while the daemon settles the migration(s) its"
                    + " last run left open (m-0000dead: vm1 hostA -> hostB): wait until 'aoemigrate status' no longer lists"
                    + " them under recovering, then ask again");
            Run recover = AoemigrateCommandTest.run("--config", d.config.toString(), "recover");
            assertThat(recover.status()).isEqualTo(ExitStatus.REFUSED.code());
            assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");
        }
    }

    @Test
    void aMigrationWhoseDaemonWentAwaySaysWhatMayHaveHappenedAndHowToSettleIt() throws Exception {
        Path socket = dir.resolve("api/aoemigrate.sock");
        CountDownLatch copying = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        ApiServer server = ApiServer.start(socket, (request, events) -> {
            events.accept(new ProgressReport(Instant.now().toString(), "m-0000beef", "vm1", "started", "moving vm1 to hostB",
                    null));
            events.accept(new ProgressReport(Instant.now().toString(), "m-0000beef", "vm1", "migrating", "to ...", null));
            copying.countDown();
            end.await(30, TimeUnit.SECONDS);
            return java.util.Map.of();   // to a connection the test has closed already
        });
        try {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> AoemigrateCommandTest.run("--socket",
                    socket.toString(), "vm1", "hostB"));
            assertThat(copying.await(20, TimeUnit.SECONDS)).isTrue();
            server.close();   // as the kernel does for a daemon killed with SIGKILL

            Run r = run.get(20, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ExitStatus.INTERRUPTED.code());
            assertThat(r.err()).contains("migration m-0000beef of vm1 to hostB was cut off: the daemon went away after"
                    + " 'migrating'", "vm1 may run on its source or on hostB", "the daemon settles it when it starts again",
                    "'aoemigrate recover m-0000beef'");
        } finally {
            end.countDown();
            server.close();
        }
    }
}
