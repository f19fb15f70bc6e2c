package org.aoemigrate.orchestrator.engine;

import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_DATA;
import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * recover against the fake cluster, one test per place in the journal where the daemon can die:
 * each sets up the world as that crash leaves it (the journal up to that step, the guest where
 * libvirt put it, the reservation as the engine had set it) and checks what recover finds and does.
 */
@Timeout(60)
class MigrationRecoveryTest {

    @TempDir
    Path dir;
    EngineFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(dir);
    }

    @AfterEach
    void noSplitBrainCreated() {
        assertThat(f.cluster.splitBrains()).isEmpty();
    }

    /** The journal of a daemon that died after {@code last}, for migration m-crashed of vm1 from hostA to hostB. */
    private void crashedAfter(JournalStep last, String preflightDetail) throws Exception {
        for (JournalStep s : JournalStep.values()) {
            String d = s == JournalStep.PREFLIGHT_OK ? preflightDetail : "";
            f.journal.append(new JournalEntry(Instant.EPOCH, "m-crashed", s, "vm1", s == JournalStep.STARTED ? "" : "hostA",
                    "hostB", d));
            if (s == last) {
                return;
            }
        }
    }

    /** Step 3 of the engine: both hosts may write vm1's disks. */
    private void reserveBoth() throws Exception {
        Set<MacAddress> both = new HashSet<>(host("hostA").macs());
        both.addAll(host("hostB").macs());
        for (var a : List.of(VM1_ROOT, VM1_DATA)) {
            f.fence.reserve(a, both);
        }
    }

    private Host host(String name) {
        return f.inventory.host(name).orElseThrow();
    }

    private List<RecoveryOutcome> recover() throws Exception {
        return f.engine.recover(Optional.empty(), f.events::add);
    }

    private void assertClosed() throws Exception {
        assertThat(f.journal.open()).isEmpty();
        assertThat(f.journal.entries()).last().satisfies(e -> {
            assertThat(e.step()).isEqualTo(JournalStep.RECOVERED);
            assertThat(e.detail()).startsWith("found vm1 ");
        });
    }

    @Test
    void crashInPreflightHasNothingToUndo() throws Exception {
        f.runVm1OnA(5);
        crashedAfter(JournalStep.STARTED, "");
        List<String> before = f.cluster.timeline();

        assertThat(recover()).containsExactly(new RecoveryOutcome("m-crashed", "vm1", "", "hostB",
                "vm1 running on hostA, not defined on hostB; e1.0 reserved to hostA, e1.1 reserved to hostA",
                Optional.of("hostA"), true, "nothing to undo: it stopped in preflight, which changes nothing"));
        assertThat(f.cluster.timeline()).as("nothing changed").isEqualTo(before);
        assertClosed();
    }

    @Test
    void crashBetweenReservingAndJournalingItGivesTheDisksBackToTheSource() throws Exception {
        f.runVm1OnA(5);
        reserveBoth();
        crashedAfter(JournalStep.PREFLIGHT_OK, "");

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("e1.0, e1.1 reserved to hostA");
        });
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
        assertClosed();
    }

    @Test
    void crashBeforeTheCopyStartedGivesTheDisksBackToTheSource() throws Exception {
        f.runVm1OnA(5);
        reserveBoth();
        crashedAfter(JournalStep.RESERVED, "");

        assertThat(recover()).containsExactly(new RecoveryOutcome("m-crashed", "vm1", "hostA", "hostB",
                "vm1 running on hostA, not defined on hostB; e1.0 reserved to hostA and hostB, e1.1 reserved to hostA and hostB",
                Optional.of("hostA"), true, "e1.0, e1.1 reserved to hostA"));
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
        assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.RUNNING);
        assertClosed();
    }

    @Test
    void crashDuringTheCopyWaitsForLibvirtToFinishThenFollowsTheGuest() throws Exception {
        // libvirt runs a peer-to-peer migration to its end on its own when the daemon that asked for it dies
        f.runVm1OnA(5);
        reserveBoth();
        f.cluster.of(host("hostA")).migrate("vm1", new MigrationCall(host("hostB").migrationUri(), EnumSet.of(
                MigrationFlag.LIVE, MigrationFlag.PEER2PEER, MigrationFlag.PERSIST_DEST, MigrationFlag.UNDEFINE_SOURCE), 16));
        crashedAfter(JournalStep.MIGRATING, "");

        List<RecoveryOutcome> r = recover();

        assertThat(r).singleElement().satisfies(o -> {
            assertThat(o.found()).isEqualTo("vm1 not defined on hostA, running on hostB; e1.0 reserved to hostA and hostB,"
                    + " e1.1 reserved to hostA and hostB");
            assertThat(o.runsOn()).contains("hostB");
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("e1.0, e1.1 reserved to hostB");
        });
        assertThat(f.events).anySatisfy(e -> assertThat(e.message()).isEqualTo(
                "libvirt's migration job of vm1 still runs on hostA: waiting for it to end before deciding"));
        assertThat(f.cluster.timeline()).containsSubsequence("moved vm1 hostA->hostB", "reserve e1.0 [hostB]");
        assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
        assertClosed();
    }

    @Test
    void crashAfterLibvirtFinishedButBeforeTheReservationMovedFencesTheSource() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "");

        assertThat(recover()).containsExactly(new RecoveryOutcome("m-crashed", "vm1", "hostA", "hostB",
                "vm1 not defined on hostA, running on hostB; e1.0 reserved to hostA and hostB, e1.1 reserved to hostA and hostB",
                Optional.of("hostB"), true, "e1.0, e1.1 reserved to hostB"));
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostB");
        assertThat(f.holders(VM1_DATA)).containsExactly("hostB");
        assertClosed();
    }

    @Test
    void theGuestEndsDefinedWhereItRunsAndNowhereElse() throws Exception {
        // a move without PERSIST_DEST, whose source kept its definition (no UNDEFINE_SOURCE)
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.makeTransient("hostB", "vm1");
        f.cluster.defineGuest("hostA", EngineFixture.vm1().xml());
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "");

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.found()).startsWith("vm1 shut off on hostA, running on hostB;");
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("e1.0, e1.1 reserved to hostB; defined persistently on hostB; its shut off"
                    + " definition on hostA removed");
        });
        assertThat(f.cluster.stateOn("hostA", "vm1")).isEmpty();
        assertThat(f.cluster.isPersistent("hostB", "vm1")).isTrue();
        assertClosed();
    }

    @Test
    void guestLeftPausedOnTheDestinationByAFencedMoveIsFencedThenResumed() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(host("hostB")).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "disks [...], cutover FENCED");

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.found()).startsWith("vm1 not defined on hostA, paused on hostB;");
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("e1.0, e1.1 reserved to hostB; resumed on hostB");
        });
        assertThat(f.cluster.timeline()).containsSubsequence("reserve e1.0 [hostB]", "reserve e1.1 [hostB]",
                "resume vm1 on hostB");
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
        assertClosed();
    }

    @Test
    void aPausedGuestWhoseHostNoLongerSeesTheDiskStaysPaused() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(host("hostB")).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "disks [...], cutover FENCED");
        f.check.fail("hostB", "vm1-data", "e1.1 on hostB: node: /dev/etherd/e1.1 does not exist");

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.settled()).isFalse();
            assertThat(o.runsOn()).contains("hostB");
            assertThat(o.action()).startsWith("e1.0, e1.1 reserved to hostB; vm1 stays paused on hostB: ")
                    .contains("/dev/etherd/e1.1 does not exist").endsWith("; fix the disk there, then run aoemigrate"
                            + " recover again");
        });
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
        assertThat(f.journal.open()).hasSize(1);
    }

    @Test
    void aGuestPausedBeforeItsMoveStaysPaused() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(host("hostB")).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "disks [...], cutover FAST, " + MigrationEngine.STARTED_PAUSED);

        assertThat(recover()).singleElement().extracting(RecoveryOutcome::action).isEqualTo("e1.0, e1.1 reserved to hostB");
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
    }

    @Test
    void aGuestRunningOnBothHostsRaisesTheAlarmAndNothingIsTouched() throws Exception {
        f.runVm1OnA(5);
        f.cluster.forceSecondCopy("vm1", "hostB");
        f.cluster.of(host("hostB")).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.CUTOVER, "");
        List<String> before = f.cluster.timeline();

        assertThat(recover()).containsExactly(new RecoveryOutcome("m-crashed", "vm1", "hostA", "hostB",
                "vm1 running on hostA, paused on hostB; e1.0 reserved to hostA and hostB, e1.1 reserved to hostA and hostB",
                Optional.empty(), false, "vm1 is active on hostA and hostB: split brain; nothing touched; stop the copy"
                        + " that should not run, then run aoemigrate recover again"));
        assertThat(f.cluster.timeline()).as("no reservation, no resume").isEqualTo(before);
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA", "hostB");
        assertThat(f.journal.open()).hasSize(1);
        assertThat(f.kinds()).contains(MigrationEvent.Kind.SPLIT_BRAIN);
        f.cluster.killHost("hostB");
    }

    @Test
    void aGuestThatRunsNowhereIsReportedNotStarted() throws Exception {
        f.cluster.defineGuest("hostB", EngineFixture.vm1().xml());
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "");

        assertThat(recover()).containsExactly(new RecoveryOutcome("m-crashed", "vm1", "hostA", "hostB",
                "vm1 not defined on hostA, shut off on hostB; e1.0 reserved to hostA and hostB, e1.1 reserved to hostA and hostB",
                Optional.empty(), false, "nothing changed: vm1 runs nowhere, and recover does not guess where to start it;"
                        + " start it on one host, then run aoemigrate recover again"));
        assertThat(f.cluster.activeOn("vm1")).isEmpty();
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA", "hostB");
        assertThat(f.journal.open()).hasSize(1);
    }

    @Test
    void aHostOfTheMigrationThatDoesNotAnswerLeavesItOpen() throws Exception {
        f.runVm1OnA(5);
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "");
        f.cluster.killHost("hostB");

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.found()).startsWith("vm1 running on hostA, no answer from hostB;");
            assertThat(o.settled()).isFalse();
            assertThat(o.action()).isEqualTo("nothing changed: hostB did not answer, and vm1 may run there; run aoemigrate"
                    + " recover again once it answers");
        });
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA", "hostB");
        assertThat(f.journal.open()).hasSize(1);
    }

    @Test
    void anIdOrGuestPicksOneOpenMigration() throws Exception {
        f.runVm1OnA(5);
        crashedAfter(JournalStep.PREFLIGHT_OK, "");

        assertThat(f.engine.recover(Optional.of("m-other"), MigrationListener.NONE)).isEmpty();
        assertThat(f.engine.recover(Optional.of("vm2"), MigrationListener.NONE)).isEmpty();
        assertThat(f.journal.open()).hasSize(1);
        assertThat(f.engine.recover(Optional.of("m-crashed"), MigrationListener.NONE)).hasSize(1);
        assertThat(f.journal.open()).isEmpty();
        assertThat(f.engine.recover(Optional.empty(), MigrationListener.NONE)).as("closed ones are not looked at again").isEmpty();
    }

    @Test
    void aMigrationRunningNowIsNotTouched() throws Exception {
        f.runVm1OnA(5);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            f.check.holdNext();
            Future<MigrationResult> running = pool.submit(() -> f.migrate("vm1", "hostB"));
            f.check.awaitHeld();
            assertThat(f.journal.open()).hasSize(1);
            assertThat(recover()).isEmpty();
            f.check.release();
            assertThat(running.get().succeeded()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
