package org.aoemigrate.orchestrator.engine;

import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_DATA;
import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_ROOT;
import static org.aoemigrate.orchestrator.journal.JournalStep.ABORTED;
import static org.aoemigrate.orchestrator.journal.JournalStep.CUTOVER;
import static org.aoemigrate.orchestrator.journal.JournalStep.FAILED;
import static org.aoemigrate.orchestrator.journal.JournalStep.FINISHED;
import static org.aoemigrate.orchestrator.journal.JournalStep.MIGRATING;
import static org.aoemigrate.orchestrator.journal.JournalStep.PREFLIGHT_OK;
import static org.aoemigrate.orchestrator.journal.JournalStep.REFUSED;
import static org.aoemigrate.orchestrator.journal.JournalStep.RESERVED;
import static org.aoemigrate.orchestrator.journal.JournalStep.STARTED;
import static org.aoemigrate.orchestrator.journal.JournalStep.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.inventory.CutoverMode;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;
import org.aoemigrate.orchestrator.inventory.TimeoutAction;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MigrationEngineTest {

    @TempDir
    Path dir;
    EngineFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(dir);
    }

    @AfterEach
    void noSplitBrainEver() {
        assertThat(f.cluster.splitBrains()).as("a guest was active on two hosts").isEmpty();
    }

    /** The guest runs on hostA alone, untouched, and its disks are still reserved to hostA alone. */
    private void assertUntouchedOnA(String guest) {
        assertThat(f.cluster.activeOn(guest)).containsExactly("hostA");
        assertThat(f.cluster.stateOn("hostA", guest)).contains(DomainState.RUNNING);
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        assertThat(f.cluster.timeline()).noneMatch(e -> e.startsWith("migrate ") || e.startsWith("suspend "));
    }

    @Nested
    class Success {

        @Test
        void movesTheGuestAndFencesTheSource() throws Exception {
            f.runVm1OnA(5);
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(r.reason()).isEmpty();
            assertThat(r.source()).contains("hostA");
            assertThat(r.destination()).isEqualTo("hostB");
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
            assertThat(f.cluster.stateOn("hostA", "vm1")).as("undefined on the source").isEmpty();
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostB");
            assertThat(f.holders(VM1_DATA)).containsExactly("hostB");
            assertThat(r.bytes()).isGreaterThanOrEqualTo(512L << 20);
            assertThat(r.downtimeMs()).isBetween(0L, 100L);
            assertThat(r.totalMs()).isPositive();
            assertThat(r.iterations()).isGreaterThanOrEqualTo(1);
            assertThat(f.engine.active()).isEmpty();
        }

        @Test
        void aCopyShorterThanOnePollStillGetsThePolicysDowntime() throws Exception {
            f.cluster.linkBandwidth(4L << 30);   // 512 MiB in 125 ms, a quarter of the 500 ms poll
            f.runVm1OnA(5);
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.cluster.timeline()).containsSubsequence("migrate vm1 hostA->hostB", "allowed downtime of vm1 100 ms");
            assertThat(f.kinds()).doesNotContain(MigrationEvent.Kind.WARNING);
        }

        @Test
        void aPausedGuestArrivesPaused() throws Exception {
            f.runVm1OnA(5);
            assertThat(f.engine.locate("vm1").activeOn()).containsExactly("hostA");
            pauseOnA();
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostB");
        }

        private void pauseOnA() throws Exception {
            f.cluster.of(f.inventory.host("hostA").orElseThrow()).suspend("vm1");
        }

        @Test
        void journalsEveryStepInOrder() throws Exception {
            f.runVm1OnA(5);
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, MIGRATING, CUTOVER, VERIFIED, FINISHED);
            List<JournalEntry> entries = f.journal.entries();
            assertThat(entries).allSatisfy(e -> assertThat(e.guest()).isEqualTo("vm1"));
            assertThat(entries.get(2).detail()).isEqualTo("e1.0=02:00:00:00:00:0a,02:00:00:00:00:0b"
                    + " e1.1=02:00:00:00:00:0a,02:00:00:00:00:0b");
            assertThat(entries.get(4).detail()).isEqualTo("fast: e1.0=02:00:00:00:00:0b e1.1=02:00:00:00:00:0b");
            assertThat(entries.get(6).detail()).matches("total_ms=\\d+ downtime_ms=\\d+ bytes=\\d+");
            assertThat(f.journal.open()).isEmpty();
        }

        /**
         * As soon as preflight knows the guest's disks, the destination's check hears of them, so that
         * it can start what needs no reservation; the check itself comes after the reservation.
         */
        @Test
        void theDestinationCheckIsPreparedDuringPreflightAndRunsAfterTheReservation() throws Exception {
            f.runVm1OnA(5);
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.cluster.timeline()).containsSubsequence("prepare e1.0,e1.1 on hostB", "reserve e1.0 [hostA, hostB]",
                    "check e1.0 on hostB", "check e1.1 on hostB", "migrate vm1 hostA->hostB");
            assertThat(f.cluster.timeline()).filteredOn(e -> e.startsWith("prepare ")).hasSize(1);
        }

        /** A prepare that fails costs the move nothing: the same steps, the same checks, the same outcome. */
        @Test
        void aPrepareThatThrowsChangesNothing() throws Exception {
            f.runVm1OnA(5);
            f.check.failPrepare(new IllegalStateException("the agent's pipe broke"));
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, MIGRATING, CUTOVER, VERIFIED, FINISHED);
            assertThat(f.check.calls()).containsExactly("hostB/vm1-root", "hostB/vm1-data");
            assertThat(f.kinds()).doesNotContain(MigrationEvent.Kind.WARNING);
        }

        @Test
        void streamsProgress() throws Exception {
            f.runVm1OnA(5);
            f.migrate("vm1", "hostB");

            assertThat(f.kinds()).startsWith(MigrationEvent.Kind.STARTED, MigrationEvent.Kind.PREFLIGHT_PASSED,
                    MigrationEvent.Kind.RESERVED, MigrationEvent.Kind.MIGRATING).contains(MigrationEvent.Kind.PROGRESS)
                    .endsWith(MigrationEvent.Kind.CUTOVER, MigrationEvent.Kind.VERIFIED, MigrationEvent.Kind.FINISHED);
            MigrationEvent progress = f.events.stream().filter(e -> e.kind() == MigrationEvent.Kind.PROGRESS).findFirst().orElseThrow();
            assertThat(progress.stats()).isPresent();
            assertThat(progress.message()).contains("MiB sent");
        }

        @Test
        void fastCutoverResumesBeforeTheReservationNamesOnlyTheDestination() throws Exception {
            f.runVm1OnA(5);
            f.migrate("vm1", "hostB");

            int resumed = f.indexOf("resume vm1 on hostB");
            int fenced = f.indexOf("reserve e1.0 [hostB]");
            assertThat(f.cluster.timeline()).as("the destination reads the disks only once they are reserved to it too")
                    .containsSubsequence("reserve e1.0 [hostA, hostB]", "reserve e1.1 [hostA, hostB]", "check e1.0 on hostB",
                            "check e1.1 on hostB", "migrate vm1 hostA->hostB");
            assertThat(resumed).isPositive().isLessThan(fenced);
            assertThat(f.check.calls()).containsExactly("hostB/vm1-root", "hostB/vm1-data");
        }

        @Test
        void fencedCutoverRechecksAndFencesBeforeResuming() throws Exception {
            f.runVm1OnA(5);
            MigrationResult r = f.migrate("vm1", "hostB", MigrationPolicy.DEFAULT.withCutover(CutoverMode.FENCED));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(r.cutover()).isEqualTo(CutoverMode.FENCED);
            int moved = f.indexOf("moved vm1 hostA->hostB");
            int fenced = f.indexOf("reserve e1.0 [hostB]");
            int resumed = f.indexOf("resume vm1 on hostB");
            assertThat(f.cluster.timeline().subList(moved, f.cluster.timeline().size()))
                    .containsSubsequence("check e1.0 on hostB", "check e1.1 on hostB", "reserve e1.0 [hostB]",
                            "reserve e1.1 [hostB]", "resume vm1 on hostB");
            assertThat(moved).isLessThan(fenced);
            assertThat(fenced).isLessThan(resumed);
            assertThat(f.check.calls()).hasSize(4);
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
        }

        @Test
        void fencedCutoverWhoseRecheckFailsLeavesTheGuestPausedAndBothReserved() throws Exception {
            f.runVm1OnA(5);
            f.check.failAfter(2, "e1.0 answers from 02:00:00:00:00:99, not from the target");
            MigrationResult r = f.migrate("vm1", "hostB", MigrationPolicy.DEFAULT.withCutover(CutoverMode.FENCED));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("after the copy, e1.0 answers from 02:00:00:00:00:99, not from the target;"
                    + " vm1 stays paused on hostB (gone from hostA), the reservation stays {both}: fix the disk, then run"
                    + " aoemigrate recover");
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA", "hostB");
        }
    }

    @Nested
    class Refusals {

        private MigrationResult refusedWith(PreflightCheck check, String guest, String destination) throws Exception {
            MigrationResult r = f.migrate(guest, destination);
            assertThat(r.outcome()).isEqualTo(MigrationOutcome.REFUSED);
            assertThat(r.failedCheck()).contains(check);
            assertThat(f.steps(r.id())).containsExactly(STARTED, REFUSED);
            assertThat(f.journal.entries().get(1).detail()).isEqualTo(check + ": " + r.reason());
            assertThat(f.kinds()).contains(MigrationEvent.Kind.REFUSED);
            assertThat(f.engine.active()).as("the slot is given back").isEmpty();
            return r;
        }

        @Test
        void localDisk() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().fileDisk("/var/lib/libvirt/images/scratch.qcow2", "vdc"), 5);
            MigrationResult r = refusedWith(PreflightCheck.DISKS, "vm1", "hostB");
            assertThat(r.reason()).isEqualTo("disk vdc of vm1 is file /var/lib/libvirt/images/scratch.qcow2, not an AoE"
                    + " device /dev/etherd/eS.L; only shared AoE disks move without a storage copy");
            assertUntouchedOnA("vm1");
        }

        @Test
        void unknownExport() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().aoeDisk("e7.3", "vdc"), 5);
            assertThat(refusedWith(PreflightCheck.DISKS, "vm1", "hostB").reason()).isEqualTo("disk vdc of vm1 is"
                    + " /dev/etherd/e7.3, which no export in the inventory serves; add it to exports");
            assertUntouchedOnA("vm1");
        }

        @Test
        void cacheNotNone() throws Exception {
            f.runOn("hostA", GuestXml.guest("vm1").blockDisk("/dev/etherd/e1.0", "vda", "writeback"), 5);
            assertThat(refusedWith(PreflightCheck.DISKS, "vm1", "hostB").reason()).isEqualTo("disk vda of vm1"
                    + " (/dev/etherd/e1.0) is opened with cache='writeback'; a shared disk must use cache='none' so no host"
                    + " keeps writes in its page cache");
            assertUntouchedOnA("vm1");
        }

        @Test
        void exportTheDestinationMayNotSee() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().aoeDisk("e9.0", "vdc"), 5);
            assertThat(refusedWith(PreflightCheck.DISKS, "vm1", "hostB").reason()).isEqualTo("export only-a (e9.0) may"
                    + " not be seen by hostB (its hosts: hostA); add hostB to them");
            assertUntouchedOnA("vm1");
        }

        @Test
        void destinationUnreachable() throws Exception {
            f.runVm1OnA(5);
            f.cluster.killHost("hostB");
            assertThat(refusedWith(PreflightCheck.LIBVIRT, "vm1", "hostB").reason()).isEqualTo("hostB's libvirt"
                    + " (test:///hostB) does not answer: hostB: unable to connect to test:///hostB: Connection refused");
            assertThat(f.kinds()).contains(MigrationEvent.Kind.WARNING);
            assertUntouchedOnA("vm1");
        }

        @Test
        void notEnoughMemory() throws Exception {
            f.runVm1OnA(5);
            f.cluster.host("hostB").memory(256L << 20);
            assertThat(refusedWith(PreflightCheck.MEMORY, "vm1", "hostB").reason())
                    .isEqualTo("hostB has 256 MiB free, vm1 needs 512 MiB");
            assertUntouchedOnA("vm1");
        }

        @Test
        void cpuIncompatible() throws Exception {
            f.runVm1OnA(5);
            f.cluster.host("hostB").cpuModels("qemu64");
            assertThat(refusedWith(PreflightCheck.CPU, "vm1", "hostB").reason()).isEqualTo("hostB's CPU cannot run vm1's"
                    + " CPU definition: the host CPU does not provide model Haswell");
            assertUntouchedOnA("vm1");
        }

        @Test
        void missingNetwork() throws Exception {
            f.runVm1OnA(5);
            f.cluster.host("hostB").networks("isolated");
            assertThat(refusedWith(PreflightCheck.NETWORK, "vm1", "hostB").reason())
                    .isEqualTo("vm1 uses network 'default', which hostB does not have (it has: isolated)");
            assertUntouchedOnA("vm1");
        }

        @Test
        void missingBridge() throws Exception {
            f.runVm1OnA(5);
            f.cluster.host("hostB").bridges("br1", "br2");
            assertThat(refusedWith(PreflightCheck.NETWORK, "vm1", "hostB").reason())
                    .isEqualTo("vm1 uses bridge 'br0', which hostB does not have (it has: br1, br2)");
            assertUntouchedOnA("vm1");
        }

        @Test
        void reservationLeftHalfWay() throws Exception {
            f.runVm1OnA(5);
            f.fence.reserve(VM1_DATA, java.util.Set.of(org.aoemigrate.aoe.wire.MacAddress.parse("02:00:00:00:00:0a"),
                    org.aoemigrate.aoe.wire.MacAddress.parse("02:00:00:00:00:0c")));
            assertThat(refusedWith(PreflightCheck.RESERVATION, "vm1", "hostB").reason()).isEqualTo("export vm1-data (e1.1)"
                    + " is reserved to hostC (02:00:00:00:00:0c), not only to hostA where vm1 runs; settle it first"
                    + " (aoemigrate recover)");
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA", "hostC");
            assertUntouchedOnA("vm1");
        }

        @Test
        void maintenance() throws Exception {
            f.runVm1OnA(5);
            assertThat(refusedWith(PreflightCheck.MAINTENANCE, "vm1", "hostM").reason())
                    .isEqualTo("hostM is in maintenance; guests may not move onto it until maintenance is cleared");
            assertUntouchedOnA("vm1");
        }

        @Test
        void everyOtherCheckRunsBeforeAnyReservationChanges() throws Exception {
            f.runVm1OnA(5);
            f.cluster.host("hostB").memory(256L << 20);
            refusedWith(PreflightCheck.MEMORY, "vm1", "hostB");
            assertThat(f.cluster.timeline()).noneMatch(e -> e.startsWith("reserve ") && !e.endsWith("[hostA]"));
            assertThat(f.check.calls()).as("the initiator check waits for step 3").isEmpty();
        }

        /** A failing prepare does not refuse a move, nor change how the check's refusal is told and journaled. */
        @Test
        void aRefusalByTheDestinationCheckIsTheSameWhenItsPrepareFailed() throws Exception {
            f.runVm1OnA(5);
            f.check.failPrepare(new IllegalStateException("the agent's pipe broke"));
            f.check.fail("hostB", "vm1-root", "the initiator check of e1.0 on hostB failed: answer: 02:00:00:00:00:99 is"
                    + " not among the expected 02:00:00:00:00:01");
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.REFUSED);
            assertThat(r.failedCheck()).contains(PreflightCheck.INITIATOR);
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, REFUSED);
            assertThat(f.journal.entries().get(3).detail()).isEqualTo("INITIATOR: " + r.reason() + "; reservation put"
                    + " back: e1.0=02:00:00:00:00:0a e1.1=02:00:00:00:00:0a");
            assertUntouchedOnA("vm1");
        }

        /** The destination check reads the disks, so it runs once they are reserved to both hosts (step 3). */
        @Test
        void destinationCheckFailsAfterReservingAndPutsTheReservationBack() throws Exception {
            f.runVm1OnA(5);
            f.check.fail("hostB", "vm1-data", "the initiator check of e1.1 on hostB failed: identity: config string is"
                    + " 'id=other', not 'id=vm1-data'");
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.REFUSED);
            assertThat(r.failedCheck()).contains(PreflightCheck.INITIATOR);
            assertThat(r.reason()).isEqualTo("the initiator check of e1.1 on hostB failed: identity: config string is"
                    + " 'id=other', not 'id=vm1-data'");
            assertThat(f.cluster.timeline()).containsSubsequence("reserve e1.0 [hostA, hostB]", "reserve e1.1 [hostA, hostB]",
                    "check e1.0 on hostB", "check e1.1 on hostB", "reserve e1.0 [hostA]", "reserve e1.1 [hostA]");
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
            assertUntouchedOnA("vm1");
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, REFUSED);
            assertThat(f.journal.entries().get(3).detail()).isEqualTo("INITIATOR: " + r.reason() + "; reservation put"
                    + " back: e1.0=02:00:00:00:00:0a e1.1=02:00:00:00:00:0a");
            assertThat(f.journal.open()).isEmpty();
            assertThat(f.kinds()).endsWith(MigrationEvent.Kind.REFUSED);
            assertThat(f.engine.active()).as("the slot is given back").isEmpty();
        }

        @Test
        void anUnreservedExportIsLeftUnreservedByARefusedDestinationCheck() throws Exception {
            f.runVm1OnA(5);
            f.fence.reserve(VM1_ROOT, Set.of());
            f.check.fail("hostB", "vm1-root", "the initiator check of e1.0 on hostB failed: node: no /dev/etherd/e1.0");
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.failedCheck()).contains(PreflightCheck.INITIATOR);
            assertThat(f.holders(VM1_ROOT)).isEmpty();
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
            assertThat(f.journal.entries().get(3).detail()).endsWith("; reservation put back: e1.0=none"
                    + " e1.1=02:00:00:00:00:0a");
        }

        @Test
        void aReservationThatCannotBePutBackFailsTheMoveForRecover() throws Exception {
            f.runVm1OnA(5);
            f.check.fail("hostB", "vm1-root", "the initiator check of e1.0 on hostB failed: node: no /dev/etherd/e1.0");
            f.check.onCheck(() -> f.fence.failNext(1));
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("the initiator check of e1.0 on hostB failed: node: no /dev/etherd/e1.0;"
                    + " the reservation of e1.0 could not be set back to 02:00:00:00:00:0a (the target's state directory"
                    + " is read-only): run aoemigrate recover");
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, FAILED);
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
        }

        @Test
        void aDryRunChecksTheInitiatorOnlyWhereTheDestinationMayAlreadyRead() throws Exception {
            f.runVm1OnA(5);
            f.check.fail("hostB", "vm1-root", "the initiator check of e1.0 on hostB failed: node: no /dev/etherd/e1.0");
            assertThat(f.engine.check(MigrationOrder.of("vm1", "hostB"))).as("reserved to hostA: hostB cannot read").isEmpty();
            assertThat(f.check.calls()).isEmpty();

            f.fence.reserve(VM1_ROOT, Set.of());
            assertThat(f.engine.check(MigrationOrder.of("vm1", "hostB"))).map(Refusal::check).contains(PreflightCheck.INITIATOR);
            assertThat(f.check.calls()).containsExactly("hostB/vm1-root");
            assertThat(f.holders(VM1_ROOT)).isEmpty();
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
            assertThat(f.journal.entries()).isEmpty();
            assertThat(f.engine.active()).isEmpty();
            assertThat(f.cluster.timeline()).as("a dry run checks at once: nothing to prepare").noneMatch(e -> e.startsWith("prepare "));
        }

        @Test
        void splitBrainMovesNothing() throws Exception {
            f.runVm1OnA(5);
            f.cluster.forceSecondCopy("vm1", "hostC");
            MigrationResult r = refusedWith(PreflightCheck.LOCATE, "vm1", "hostB");
            assertThat(r.reason()).isEqualTo("vm1 is active on hostA and hostC: split brain, nothing moves; stop the"
                    + " copy that should not run (aoemigrate recover)");
            assertThat(f.kinds()).contains(MigrationEvent.Kind.SPLIT_BRAIN);
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA", "hostC");
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        }

        @Test
        void guestNotRunningOrUnknown() throws Exception {
            f.cluster.defineGuest("hostA", EngineFixture.vm1().xml());
            assertThat(refusedWith(PreflightCheck.LOCATE, "vm1", "hostB").reason()).isEqualTo("vm1 runs nowhere (it is"
                    + " defined on hostA but not running); only a running guest can be live-migrated");
            assertThat(f.migrate("vm9", "hostB").reason()).isEqualTo("vm9 runs nowhere (no host knows it); only a running"
                    + " guest can be live-migrated");
        }

        @Test
        void unknownOrSameDestination() throws Exception {
            f.runVm1OnA(5);
            assertThat(refusedWith(PreflightCheck.DESTINATION, "vm1", "hostX").reason())
                    .isEqualTo("there is no host hostX in the inventory; known hosts: hostA, hostB, hostC, hostD, hostM");
            assertThat(f.migrate("vm1", "hostA").reason()).isEqualTo("vm1 already runs on hostA; nothing to move");
            assertUntouchedOnA("vm1");
        }

        @Test
        void journalThatCannotBeWritten() throws Exception {
            f.runVm1OnA(5);
            MigrationEngine engine = new MigrationEngine(() -> f.inventory, f.cluster, f.fence, f.check,
                    new org.aoemigrate.orchestrator.journal.FileMigrationJournal(dir), f.cluster.ticker(), EngineFixture.POLL);
            MigrationResult r = engine.migrate(MigrationOrder.of("vm1", "hostB"), MigrationListener.NONE);
            assertThat(r.failedCheck()).contains(PreflightCheck.JOURNAL);
            assertThat(r.reason()).startsWith("the journal cannot be written (").endsWith("); nothing moves without it");
            assertUntouchedOnA("vm1");
        }
    }

    @Nested
    class LockAndLimits {

        private final ExecutorService pool = Executors.newSingleThreadExecutor();

        @AfterEach
        void stop() {
            pool.shutdownNow();
        }

        /** Starts a migration that waits in its destination check until {@link ScriptedDestinationCheck#release}. */
        private Future<MigrationResult> heldInPreflight(String guest, String destination) throws Exception {
            f.check.holdNext();
            Future<MigrationResult> first = pool.submit(() -> f.migrate(guest, destination));
            f.check.awaitHeld();
            return first;
        }

        @Test
        void secondMigrationOfOneGuestIsRefused() throws Exception {
            f.runVm1OnA(5);
            Future<MigrationResult> first = heldInPreflight("vm1", "hostB");
            MigrationResult second = f.migrate("vm1", "hostC");
            f.check.release();

            assertThat(second.outcome()).isEqualTo(MigrationOutcome.REFUSED);
            assertThat(second.failedCheck()).contains(PreflightCheck.LOCK);
            assertThat(second.reason()).matches("vm1 is already being moved \\(migration m-[0-9a-f]{8}, hostA to hostB\\);"
                    + " wait for it to end or abort it");
            MigrationResult done = first.get();
            assertThat(done.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(second.reason()).contains(done.id());
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
        }

        @Test
        void aGuestBeingMovedIsNoSplitBrainAlarm() throws Exception {
            f.runVm1OnA(5);
            Future<MigrationResult> first = heldInPreflight("vm1", "hostB");
            // as in a real switchover, where the guest is briefly active on both hosts
            f.cluster.forceSecondCopy("vm1", "hostC");
            MigrationResult second = f.migrate("vm1", "hostD");
            f.cluster.killHost("hostC");
            f.check.release();

            assertThat(second.failedCheck()).contains(PreflightCheck.LOCK);
            assertThat(f.events).filteredOn(e -> e.id().equals(second.id())).extracting(MigrationEvent::kind)
                    .containsExactly(MigrationEvent.Kind.STARTED, MigrationEvent.Kind.REFUSED);
            assertThat(first.get().succeeded()).isTrue();
        }

        @Test
        void abortDuringTheDestinationCheckGivesTheDisksBackToTheSource() throws Exception {
            f.runVm1OnA(5);
            Future<MigrationResult> first = heldInPreflight("vm1", "hostB");
            assertThat(f.engine.active()).extracting(MigrationEngine.ActiveMigration::guest).containsExactly("vm1");
            assertThat(f.engine.abort("vm1", "aborted by the operator")).isTrue();
            f.check.release();

            MigrationResult r = first.get();
            assertThat(r.outcome()).isEqualTo(MigrationOutcome.ABORTED);
            assertThat(r.reason()).isEqualTo("aborted by the operator before the copy started; vm1 stays on hostA, which"
                    + " alone may write its disks");
            assertUntouchedOnA("vm1");
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, ABORTED);
            assertThat(f.engine.abort("vm1", "again")).as("nothing runs any more").isFalse();
        }

        @Test
        void perHostOutboundLimit() throws Exception {
            f.runVm1OnA(5);
            f.runOn("hostA", GuestXml.guest("vm2").aoeDisk("e2.0", "vda"), 5);
            Future<MigrationResult> first = heldInPreflight("vm1", "hostB");
            MigrationResult second = f.migrate("vm2", "hostC");
            f.check.release();

            assertThat(second.failedCheck()).contains(PreflightCheck.LIMITS);
            assertThat(second.reason()).isEqualTo("hostA already sends 1 migration(s) (vm1), its outbound limit; try"
                    + " again when one ends");
            assertThat(first.get().succeeded()).isTrue();
            assertThat(f.cluster.activeOn("vm2")).containsExactly("hostA");
        }

        @Test
        void perHostInboundLimit() throws Exception {
            f.runVm1OnA(5);
            f.runOn("hostC", GuestXml.guest("vm3").aoeDisk("e3.0", "vda"), 5);
            Future<MigrationResult> first = heldInPreflight("vm1", "hostB");
            MigrationResult second = f.migrate("vm3", "hostB");
            f.check.release();

            assertThat(second.failedCheck()).contains(PreflightCheck.LIMITS);
            assertThat(second.reason()).isEqualTo("hostB already receives 1 migration(s) (vm1), its inbound limit; try"
                    + " again when one ends");
            assertThat(first.get().succeeded()).isTrue();
        }

        @Test
        void globalLimit() throws Exception {
            f.runVm1OnA(5);
            f.runOn("hostC", GuestXml.guest("vm3").aoeDisk("e3.0", "vda"), 5);
            f.runOn("hostB", GuestXml.guest("vm4").aoeDisk("e4.0", "vda"), 5);
            ExecutorService second = Executors.newSingleThreadExecutor();
            try {
                Future<MigrationResult> one = heldInPreflight("vm1", "hostB");
                f.check.holdNext();
                Future<MigrationResult> two = second.submit(() -> f.migrate("vm3", "hostD"));
                f.check.awaitHeld();
                MigrationResult third = f.migrate("vm4", "hostA");
                f.check.release();

                assertThat(third.failedCheck()).contains(PreflightCheck.LIMITS);
                assertThat(third.reason()).isEqualTo("the global limit of 2 migration(s) at once is reached (moving: vm1,"
                        + " vm3); try again when one ends");
                assertThat(two.get().succeeded()).isTrue();
                assertThat(one.get().outcome()).isIn(MigrationOutcome.SUCCEEDED);
            } finally {
                second.shutdownNow();
            }
        }
    }

    @Nested
    class Failures {

        @Test
        void destinationDiesMidCopyGuestRunsOnceOnTheSource() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(2048), 5);
            f.cluster.schedule(Duration.ofSeconds(3), () -> f.cluster.killHost("hostB"));
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("the migration failed: hostA: migration failed: hostB does not answer"
                    + " (connection reset); hostB's libvirt does not answer now (hostB: Cannot recv data: Connection reset by"
                    + " peer): a copy of vm1 left there could not be looked for, and could not write (the disks go to hostA"
                    + " alone); look for it once hostB answers; vm1 stays on hostA, which alone may write its disks");
            assertUntouchedOnAAfterAMigration();
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, MIGRATING, FAILED);
            assertThat(f.journal.entries().get(4).detail()).isEqualTo(r.reason());
            assertThat(f.journal.open()).isEmpty();
        }

        private void assertUntouchedOnAAfterAMigration() {
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
            assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.RUNNING);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
            assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
        }

        @Test
        void linkCutMidCopy() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(2048), 5);
            f.cluster.schedule(Duration.ofSeconds(2), () -> f.cluster.cutLink("hostA", "hostB"));
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).startsWith("the migration failed: hostA: migration failed: Unable to write to socket");
            assertUntouchedOnAAfterAMigration();
            assertThat(f.cluster.stateOn("hostB", "vm1")).isEmpty();
        }

        @Test
        void operatorAbort() throws Exception {
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(2048), 5);
            f.cluster.schedule(Duration.ofSeconds(2), () -> f.engine.abort("vm1", "aborted by the operator"));
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.ABORTED);
            assertThat(r.reason()).isEqualTo("aborted by the operator; vm1 stays on hostA, which alone may write its disks");
            assertUntouchedOnAAfterAMigration();
            assertThat(f.steps(r.id())).containsExactly(STARTED, PREFLIGHT_OK, RESERVED, MIGRATING, ABORTED);
        }

        @Test
        void fenceThatFailsBeforeTheCopyMovesNothing() throws Exception {
            f.runVm1OnA(5);
            f.fence.failNext(1);
            MigrationResult r = f.migrate("vm1", "hostB");

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).isEqualTo("could not reserve the disks to both hosts: the target's state directory is"
                    + " read-only; vm1 stays on hostA, which alone may write its disks");
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
            assertThat(f.cluster.timeline()).noneMatch(e -> e.startsWith("migrate "));
        }
    }

    @Nested
    class ConvergencePolicy {

        /** Dirtying as fast as the link sends: every pass leaves as much as the one before. */
        private void stallingVm1() throws Exception {
            f.cluster.linkBandwidth(100L << 20);
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(1024), 150);
        }

        private MigrationPolicy policy(TimeoutAction onTimeout, boolean postCopy, Duration budget) {
            MigrationPolicy d = MigrationPolicy.DEFAULT;
            return new MigrationPolicy(0, d.maxDowntime(), List.of(Duration.ofMillis(150), Duration.ofMillis(300)), false,
                    postCopy, 0, budget, onTimeout, CutoverMode.FAST);
        }

        @Test
        void stallsStepTheDowntimeThenAbort() throws Exception {
            stallingVm1();
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.ABORT, false, Duration.ofMinutes(10)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.ABORTED);
            assertThat(r.reason()).isEqualTo("the copy stalled 3 time(s) and the downtime steps are used up (last: 300 ms);"
                    + " vm1 stays on hostA, which alone may write its disks");
            assertThat(f.events.stream().filter(e -> e.kind() == MigrationEvent.Kind.DOWNTIME_RAISED).map(MigrationEvent::message))
                    .containsExactly("stall 1: allowed downtime raised to 150 ms", "stall 2: allowed downtime raised to 300 ms");
            assertThat(r.maxDowntimeMs()).isEqualTo(300);
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
            assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.RUNNING);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        }

        @Test
        void pauseToFinishCompletesTheMove() throws Exception {
            stallingVm1();
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.PAUSE, false, Duration.ofMinutes(10)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.kinds()).contains(MigrationEvent.Kind.PAUSED_TO_FINISH);
            assertThat(f.cluster.timeline()).containsSubsequence("suspend vm1 on hostA", "moved vm1 hostA->hostB",
                    "reserve e1.0 [hostB]", "resume vm1 on hostB");
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostB");
        }

        @Test
        void budgetExceededAborts() throws Exception {
            f.cluster.linkBandwidth(100L << 20);
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(4096), 1);
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.ABORT, false, Duration.ofSeconds(30)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.ABORTED);
            assertThat(r.reason()).startsWith("the copy did not finish within its budget of 30 s; vm1 stays on hostA");
            assertThat(r.totalMs()).isBetween(30_000L, 31_000L);
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
        }

        @Test
        void budgetExceededPausesToFinish() throws Exception {
            f.cluster.linkBandwidth(100L << 20);
            f.runOn("hostA", EngineFixture.vm1().memoryMiB(4096), 1);
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.PAUSE, false, Duration.ofSeconds(30)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.indexOf("suspend vm1 on hostA")).isLessThan(f.indexOf("moved vm1 hostA->hostB"));
            assertThat(r.totalMs()).as("paused at 30 s, the rest of the 41 s copy").isBetween(40_000L, 43_000L);
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
            assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
        }

        @Test
        void optInPostCopyFinishesAStalledCopy() throws Exception {
            stallingVm1();
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.ABORT, true, Duration.ofMinutes(10)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
            assertThat(f.kinds()).contains(MigrationEvent.Kind.POST_COPY);
            assertThat(f.cluster.timeline()).contains("post-copy vm1");
            assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
        }

        @Test
        void pausedGuestThatStillFailsIsResumedOnTheSource() throws Exception {
            stallingVm1();
            f.cluster.schedule(Duration.ofSeconds(12), () -> f.cluster.cutLink("hostA", "hostB"));
            f.cluster.linkBandwidth(10L << 20);
            MigrationResult r = f.migrate("vm1", "hostB", policy(TimeoutAction.PAUSE, false, Duration.ofSeconds(10)));

            assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
            assertThat(r.reason()).contains("; resumed on hostA; vm1 stays on hostA, which alone may write its disks");
            assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.RUNNING);
            assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
            assertThat(Set.copyOf(f.cluster.activeOn("vm1"))).containsExactly("hostA");
        }
    }
}
