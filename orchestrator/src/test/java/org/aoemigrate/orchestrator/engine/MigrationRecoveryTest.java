package org.aoemigrate.orchestrator.engine;

import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_DATA;
import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    /** The journal of a daemon that died after {@code last}. */
    private void crashedAfter(JournalStep last, String detail) throws Exception {
        for (JournalStep s : JournalStep.values()) {
            String d = s == JournalStep.PREFLIGHT_OK ? detail : "";
            f.journal.append(new JournalEntry(Instant.EPOCH, "m-crashed", s, "vm1", s == JournalStep.STARTED ? "" : "hostA",
                    "hostB", d));
            if (s == last) {
                return;
            }
        }
    }

    private void reserveBoth() throws Exception {
        for (var a : List.of(VM1_ROOT, VM1_DATA)) {
            java.util.Set<org.aoemigrate.aoe.wire.MacAddress> both = new java.util.HashSet<>(f.inventory.host("hostA").orElseThrow().macs());
            both.addAll(f.inventory.host("hostB").orElseThrow().macs());
            f.fence.reserve(a, both);
        }
    }

    @Test
    void guestStillOnTheSourceGetsTheReservationBack() throws Exception {
        f.runVm1OnA(5);
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "");

        List<RecoveryOutcome> r = f.engine.recover(f.events::add);

        assertThat(r).containsExactly(new RecoveryOutcome("m-crashed", "vm1", Optional.of("hostA"), true,
                "vm1 runs on hostA; e1.0, e1.1 reserved to hostA"));
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
        assertThat(f.journal.open()).isEmpty();
        assertThat(f.journal.entries()).last().extracting(JournalEntry::step).isEqualTo(JournalStep.RECOVERED);
    }

    @Test
    void guestLeftPausedOnTheDestinationIsFencedThenResumed() throws Exception {
        // a fenced move whose daemon died after the copy: paused on hostB, reservation still {both}
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(f.inventory.host("hostB").orElseThrow()).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "disks [...], cutover FENCED");

        List<RecoveryOutcome> r = f.engine.recover(MigrationListener.NONE);

        assertThat(r).singleElement().satisfies(o -> {
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("vm1 runs on hostB; e1.0, e1.1 reserved to hostB; resumed there");
        });
        assertThat(f.cluster.timeline()).containsSubsequence("reserve e1.0 [hostB]", "reserve e1.1 [hostB]",
                "resume vm1 on hostB");
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.RUNNING);
    }

    @Test
    void aGuestPausedBeforeItsMoveStaysPaused() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(f.inventory.host("hostB").orElseThrow()).suspend("vm1");
        reserveBoth();
        crashedAfter(JournalStep.MIGRATING, "disks [...], cutover FAST, " + MigrationEngine.STARTED_PAUSED);

        assertThat(f.engine.recover(MigrationListener.NONE)).singleElement()
                .extracting(RecoveryOutcome::action).isEqualTo("vm1 runs on hostB; e1.0, e1.1 reserved to hostB");
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
    }

    @Test
    void splitBrainIsReportedAndLeftOpen() throws Exception {
        f.runVm1OnA(5);
        f.cluster.forceSecondCopy("vm1", "hostB");
        reserveBoth();
        crashedAfter(JournalStep.CUTOVER, "");

        assertThat(f.engine.recover(f.events::add)).containsExactly(new RecoveryOutcome("m-crashed", "vm1", Optional.empty(),
                false, "vm1 is active on hostA and hostB: split brain; stop the copy that should not run, then run recover"
                        + " again"));
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA", "hostB");
        assertThat(f.journal.open()).hasSize(1);
        assertThat(f.kinds()).containsExactly(MigrationEvent.Kind.WARNING);
        f.cluster.killHost("hostB");
    }

    @Test
    void aGuestThatRunsNowhereIsReported() throws Exception {
        f.cluster.defineGuest("hostB", EngineFixture.vm1().xml());
        crashedAfter(JournalStep.RESERVED, "");

        assertThat(f.engine.recover(MigrationListener.NONE)).singleElement().satisfies(o -> {
            assertThat(o.settled()).isFalse();
            assertThat(o.action()).isEqualTo("vm1 runs nowhere (defined on hostB); start it on one host, then run recover again");
        });
        assertThat(f.journal.open()).hasSize(1);
    }

    @Test
    void aMigrationStoppedInPreflightHadNothingToUndo() throws Exception {
        f.runVm1OnA(5);
        crashedAfter(JournalStep.PREFLIGHT_OK, "");

        assertThat(f.engine.recover(MigrationListener.NONE)).singleElement().satisfies(o -> {
            assertThat(o.settled()).isTrue();
            assertThat(o.action()).isEqualTo("it stopped before any reservation changed; nothing to undo");
        });
        assertThat(f.journal.open()).isEmpty();
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
            assertThat(f.engine.recover(MigrationListener.NONE)).isEmpty();
            f.check.release();
            assertThat(running.get().succeeded()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
