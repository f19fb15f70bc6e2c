package org.aoemigrate.orchestrator.engine;

import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_DATA;
import static org.aoemigrate.orchestrator.engine.EngineFixture.VM1_ROOT;
import static org.aoemigrate.orchestrator.journal.JournalStep.FINISHED;
import static org.aoemigrate.orchestrator.journal.JournalStep.REFUSED;
import static org.aoemigrate.orchestrator.journal.JournalStep.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory check with a host's {@code guestMemoryMiB}: hostB has plenty of free memory (the
 * fake's default), but the operator lets its guests use 1024 MiB in all.
 */
@Timeout(60)
class GuestMemoryPreflightTest {

    @TempDir
    Path dir;

    private EngineFixture fixture(long hostBGuestMemoryMiB) throws Exception {
        return new EngineFixture(dir, EngineFixture.INVENTORY.replace("  hostB: {libvirtUri:",
                "  hostB: {guestMemoryMiB: " + hostBGuestMemoryMiB + ", libvirtUri:"));
    }

    @Test
    void refusedWhenTheGuestsDefinedThereAndThisOneExceedTheLimit() throws Exception {
        EngineFixture f = fixture(1024);
        f.runVm1OnA(5);
        f.runOn("hostB", GuestXml.guest("vm2").memoryMiB(256).aoeDisk("e2.0", "vda"), 1);
        f.cluster.defineGuest("hostB", GuestXml.guest("vm3").memoryMiB(384).xml());   // shut off: may be started any time

        MigrationResult r = f.migrate("vm1", "hostB");

        assertThat(r.outcome()).isEqualTo(MigrationOutcome.REFUSED);
        assertThat(r.failedCheck()).contains(PreflightCheck.MEMORY);
        assertThat(r.reason()).isEqualTo("hostB lets its guests use 1024 MiB (guestMemoryMiB); its guests (vm2, vm3)"
                + " have 640 MiB, vm1 needs 512 MiB more");
        assertThat(f.steps(r.id())).containsExactly(STARTED, REFUSED);
        assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
        assertThat(f.cluster.stateOn("hostA", "vm1")).contains(DomainState.RUNNING);
        assertThat(f.holders(VM1_ROOT)).containsExactly("hostA");
        assertThat(f.holders(VM1_DATA)).containsExactly("hostA");
        assertThat(f.cluster.timeline()).noneMatch(e -> e.startsWith("migrate ") || e.startsWith("reserve e1.0 [hostA, hostB]"));
        assertThat(f.check.calls()).isEmpty();
        assertThat(f.engine.active()).as("the slot is given back").isEmpty();
    }

    @Test
    void anEmptyHostTooSmallForTheGuestIsRefused() throws Exception {
        EngineFixture f = fixture(256);
        f.runVm1OnA(5);

        MigrationResult r = f.migrate("vm1", "hostB");

        assertThat(r.failedCheck()).contains(PreflightCheck.MEMORY);
        assertThat(r.reason()).isEqualTo("hostB lets its guests use 256 MiB (guestMemoryMiB); no guests there,"
                + " vm1 needs 512 MiB more");
        assertThat(f.cluster.activeOn("vm1")).containsExactly("hostA");
    }

    @Test
    void movesWhenItFitsExactly() throws Exception {
        EngineFixture f = fixture(1024);
        f.runVm1OnA(5);
        f.runOn("hostB", GuestXml.guest("vm2").memoryMiB(512).aoeDisk("e2.0", "vda"), 1);

        MigrationResult r = f.migrate("vm1", "hostB");

        assertThat(r.outcome()).as(r.reason()).isEqualTo(MigrationOutcome.SUCCEEDED);
        assertThat(f.steps(r.id())).last().isEqualTo(FINISHED);
        assertThat(f.cluster.activeOn("vm1")).containsExactly("hostB");
    }

    @Test
    void aLimitOnAnotherHostDoesNotCount() throws Exception {
        EngineFixture f = fixture(64);
        f.runVm1OnA(5);

        assertThat(f.migrate("vm1", "hostC").outcome()).isEqualTo(MigrationOutcome.SUCCEEDED);
    }

    @Test
    void theGuestsOwnDefinitionThereIsNotCountedTwice() throws Exception {
        EngineFixture f = fixture(600);
        f.runVm1OnA(5);
        f.cluster.defineGuest("hostB", EngineFixture.vm1().xml());   // a stale persistent definition of vm1

        MigrationResult r = f.migrate("vm1", "hostB");

        assertThat(r.failedCheck().filter(c -> c == PreflightCheck.MEMORY)).as(r.reason()).isEmpty();
    }
}
