package org.aoemigrate.aoe.initiator.etherdit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatus;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatusFiles;
import org.aoemigrate.aoe.initiator.sysfs.AoeStatEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status files attach writes and stat reads: what is shown, and what a dead process's file is. */
class EtherdStatusFilesTest {

    @TempDir
    Path dir;

    private static EtherdStatus status(String name, long pid, String state) {
        return new EtherdStatus(AoeAddress.parse(name), pid, Path.of("/dev/etherd", name), Path.of("/dev/loop3"), 2_097_152,
                List.of("eth1", "eth2"), 8704, state, List.of("eth1->02:00:00:00:01:01", "eth2->02:00:00:00:01:02(down)"));
    }

    @Test
    void aLiveProcesssDeviceShowsAsAoeStatWould() throws IOException {
        EtherdStatus up = status("e1.1", ProcessHandle.current().pid(), "up");
        EtherdStatusFiles.write(dir, up);

        assertThat(EtherdStatusFiles.live(dir)).containsExactly(up);
        assertThat(up.toStatEntry()).isEqualTo(new AoeStatEntry("e1.1", 2_097_152L, "eth1,eth2", 8704, "up"));
    }

    @Test
    void aRewriteReplacesTheStateAndLeavesNoTemporaryFile() throws IOException {
        long pid = ProcessHandle.current().pid();
        EtherdStatusFiles.write(dir, status("e1.1", pid, "up"));
        EtherdStatusFiles.write(dir, status("e1.1", pid, "down"));

        assertThat(EtherdStatusFiles.live(dir)).extracting(EtherdStatus::state).containsExactly("down");
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("e1.1");
        }
    }

    @Test
    void aKilledProcesssFileIsNotShown() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        EtherdStatusFiles.write(dir, status("e2.0", gone.pid(), "up"));

        assertThat(EtherdStatusFiles.live(dir)).isEmpty();
    }

    @Test
    void onlyTheWritingProcessRemovesItsFile() throws IOException {
        EtherdStatus mine = status("e1.1", ProcessHandle.current().pid(), "up");
        EtherdStatusFiles.write(dir, mine);

        EtherdStatusFiles.remove(dir, status("e1.1", mine.pid() + 100_000, "up"));
        assertThat(EtherdStatusFiles.live(dir)).containsExactly(mine);

        EtherdStatusFiles.remove(dir, mine);
        assertThat(dir.resolve("e1.1")).doesNotExist();
    }
}
