package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The lab tests' line between a guest that QEMU broke and one that stopped counting. */
class GuestKernelBrokeTest {

    @Test
    void aPanicAfterAMoveAbortsWithTheConsolesLine(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("vm1-serial.log"), "tick 7\r\ntick 8\r\n"
                + "[   26.173304] RIP: 0010:__run_timers+0x1e8/0x2c0\r\n"
                + "[   26.175549] Kernel panic - not syncing: Fatal exception in interrupt\r\n");

        assertThatThrownBy(() -> LabDriver.abortIfTheGuestKernelBroke(log, "7.2.0")).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("QEMU 7.2.0").hasMessageEndingWith("says: [   26.175549] Kernel panic - not syncing:"
                        + " Fatal exception in interrupt");
    }

    @Test
    void underAQemuWithTheFixThePanicFailsTheTest(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("vm1-serial.log"), "tick 7\r\n[   26.175549] Kernel panic - not syncing:\r\n");

        assertThatThrownBy(() -> LabDriver.abortIfTheGuestKernelBroke(log, "10.0.2")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("under QEMU 10.0.2, which has the fix").hasMessageEndingWith("Kernel panic - not syncing:");
    }

    @Test
    void aCountingGuestOrOneThatSaysNothingDoesNot(@TempDir Path dir) throws Exception {
        Path counting = Files.writeString(dir.resolve("vm1-serial.log"), "aoelab-guest: booted\ntick 1\ntick 2\n");

        assertThatCode(() -> LabDriver.abortIfTheGuestKernelBroke(counting, "7.2.0")).doesNotThrowAnyException();
        assertThatCode(() -> LabDriver.abortIfTheGuestKernelBroke(counting, "10.0.2")).doesNotThrowAnyException();
        assertThatCode(() -> LabDriver.abortIfTheGuestKernelBroke(dir.resolve("none.log"), "7.2.0")).doesNotThrowAnyException();
    }
}
