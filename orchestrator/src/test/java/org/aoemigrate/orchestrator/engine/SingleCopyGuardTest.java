package org.aoemigrate.orchestrator.engine;

import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.inventory.CutoverMode;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;
import org.aoemigrate.orchestrator.inventory.TimeoutAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** No resume by aoemigrate while the guest is active on another host. */
@Timeout(60)
class SingleCopyGuardTest {

    @TempDir
    Path dir;
    EngineFixture f;
    SingleCopyGuard guard;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(dir);
        guard = new SingleCopyGuard(f.cluster, () -> f.inventory);
    }

    @AfterEach
    void theFakeClusterNeverSawTwoCopies() {
        assertThat(f.cluster.splitBrains()).isEmpty();
    }

    @Test
    void aGuestActiveOnlyWhereItIsToBeResumedPasses() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.of(f.inventory.host("hostB").orElseThrow()).suspend("vm1");
        f.cluster.defineGuest("hostA", EngineFixture.vm1().xml());

        assertThat(guard.refusal("vm1", "hostB")).as("shut off elsewhere is no second copy").isEmpty();
    }

    @Test
    void aGuestActiveElsewhereIsRefusedWithWhereItRuns() throws Exception {
        f.runVm1OnA(5);

        assertThat(guard.refusal("vm1", "hostB")).contains("not resuming vm1 on hostB: it is running on hostA (split"
                + " brain); stop the copy that should not run, then run aoemigrate recover");
    }

    @Test
    void aSilentHostDoesNotBlockSinceTheReservationShutsItOut() throws Exception {
        f.runOn("hostB", EngineFixture.vm1(), 5);
        f.cluster.killHost("hostC");

        assertThat(guard.refusal("vm1", "hostB")).isEmpty();
    }

    @Test
    void aRollbackDoesNotResumeTheSourceWhenASecondCopyAppeared() throws Exception {
        // vm1 cannot converge, the engine pauses it to finish, then the link fails: the rollback would resume it on hostA
        f.cluster.linkBandwidth(10L << 20);
        f.runOn("hostA", EngineFixture.vm1().memoryMiB(1024), 150);
        f.cluster.schedule(Duration.ofSeconds(12), () -> {
            f.cluster.forceSecondCopy("vm1", "hostC");
            f.cluster.cutLink("hostA", "hostB");
        });
        MigrationPolicy d = MigrationPolicy.DEFAULT;
        MigrationResult r = f.migrate("vm1", "hostB", new MigrationPolicy(0, d.maxDowntime(), List.of(Duration.ofMillis(150)),
                false, false, 0, Duration.ofSeconds(10), TimeoutAction.PAUSE, CutoverMode.FAST));

        assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
        assertThat(r.reason()).contains("; not resuming vm1 on hostA: it is running on hostC (split brain)");
        assertThat(f.kinds()).contains(MigrationEvent.Kind.SPLIT_BRAIN);
        assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.PAUSED);
        assertThat(f.holders(VM1_ROOT)).as("the disks went back to the source before the guard was asked").containsExactly("hostA");
    }

    @Test
    void theFencedCutoverDoesNotResumeWhenASecondCopyAppeared() throws Exception {
        f.runVm1OnA(5);
        // while the engine re-checks the disks after the copy, someone starts vm1 on hostA again
        f.check.onCheck(() -> {
            if (f.cluster.stateOn("hostB", "vm1").equals(Optional.of(DomainState.PAUSED))
                    && f.cluster.stateOn("hostA", "vm1").isEmpty()) {
                f.cluster.forceSecondCopy("vm1", "hostA");
            }
        });

        MigrationResult r = f.migrate("vm1", "hostB", MigrationPolicy.DEFAULT.withCutover(CutoverMode.FENCED));

        assertThat(r.outcome()).isEqualTo(MigrationOutcome.FAILED);
        assertThat(r.reason()).isEqualTo("not resuming vm1 on hostB: it is running on hostA (split brain); stop the copy"
                + " that should not run, then run aoemigrate recover; only hostB may write its disks");
        assertThat(f.kinds()).contains(MigrationEvent.Kind.SPLIT_BRAIN);
        assertThat(f.cluster.stateOn("hostB", "vm1")).contains(DomainState.PAUSED);
        assertThat(f.cluster.timeline()).doesNotContain("resume vm1 on hostB");
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostB");
    }
}
