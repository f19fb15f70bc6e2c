package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.aoe.initiator.sysfs.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheDriversDevicesInAoeStatFormat() throws Exception {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e7.12", "21474836480", "down,closewait", null, "eth2,eth3", "8704", "152:32");
        sys.device("e1.1", "131072", "up", "5254001234ab", "vI", "1024", "152:16");
        sys.otherDisk("sda");

        CliRun run = CliRun.of("stat", "--sysfs-root", sys.root().toString(), "--dev-dir", tmp.resolve("dev").toString(),
                "--run-dir", tmp.resolve("run").toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(
                "      e1.1         0.067GB         vI 1024  up            \n"
                + "     e7.12     10995.116GB  eth2,eth3 8704  down,closewait\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void filtersByRegexAndPrintsJson() throws Exception {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("e7.12", "21474836480", "down,closewait", null, "eth2,eth3", "8704", "152:32");
        sys.device("e1.1", "131072", "up", null, "vI", "1024", "152:16");

        CliRun run = CliRun.of("stat", "closewait", "--json", "--sysfs-root", sys.root().toString(), "--run-dir",
                tmp.resolve("run").toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("\"device\" : \"e7.12\"").contains("\"sectors\" : 21474836480")
                .contains("\"state\" : \"down,closewait\"").doesNotContain("e1.1");
    }

    @Test
    void noDeviceIsExitNine() throws Exception {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.otherDisk("sda");

        CliRun run = CliRun.of("stat", "--sysfs-root", sys.root().toString(), "--run-dir", tmp.resolve("run").toString());

        assertThat(run.status()).isEqualTo(ExitStatus.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void saysWhenSysfsIsNotMounted() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("nothing"));

        CliRun run = CliRun.of("stat", "--sysfs-root", empty.toString());

        assertThat(run.status()).isEqualTo(ExitStatus.NOT_FOUND.code());
        assertThat(run.err()).contains("sysfs is not mounted at " + empty);
    }
}
