package org.aoemigrate.aoe.target.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aoe-target --config FILE}: every export of the file is served by one process, with the
 * file's settings (initial config string, read-only, initial MAC mask list) in force.
 */
class ConfigFileIT {

    @Test
    void servesEveryExportOfTheFileWithItsSettings(@TempDir Path dir) throws Exception {
        Netns.requireRoot();
        for (String name : new String[] {"a.img", "b.img", "c.img"}) {
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
                f.setLength(4L << 20);
            }
        }
        Path config = Files.writeString(dir.resolve("targets.yaml"), """
                stateDir: state
                exports:
                  - shelf: 1
                    slot: 0
                    path: a.img
                    interfaces: [vT]
                    config: alpha
                  - shelf: 1
                    slot: 1
                    path: b.img
                    interfaces: vT
                    readOnly: true
                  # answers only a MAC that is not on this segment: invisible to our initiator
                  - shelf: 1
                    slot: 2
                    path: c.img
                    interfaces: [vT]
                    masks: [02:00:00:00:00:99]
                """);
        try (Netns net = new Netns()) {
            Netns.Namespace targetNs = net.namespace("target");
            Netns.Namespace initiatorNs = net.namespace("initiator");
            net.veth(targetNs, "vT", initiatorNs, "vI", 1500);

            NetnsProcess target = AoeTargetProcess.start(net, targetNs, "--config", config.toString());
            assertThat(target.output())
                    .contains("e1.0, 8192 sectors O_RDWR buffered", "config string \"alpha\"")
                    .contains("e1.1, 8192 sectors O_RDONLY buffered")
                    .contains("e1.2, 8192 sectors O_RDWR buffered", "answering only 1 MAC")
                    .contains("aoe-target: serving 3 exports on 1 interface; state in " + dir.resolve("state"));

            CommandResult sancheck = net.exec(initiatorNs, Duration.ofSeconds(30), "aoe-sancheck");
            assertThat(sancheck.stdout()).containsPattern("(?m)^e1\\.0\\s+1\\s+1024\\s+vI\\s*$")
                    .containsPattern("(?m)^e1\\.1\\s+1\\s+1024\\s+vI\\s*$")
                    .doesNotContain("e1.2");

            CommandResult read = net.exec(initiatorNs, Duration.ofSeconds(30), "aoecfg", "-c", "read", "-t", "2", "1", "0", "vI");
            assertThat(read.stdout().strip()).isEqualTo("alpha");

            CommandResult write = net.runJava(initiatorNs, Duration.ofSeconds(30), RawAoeClient.class, "vI", "1", "1",
                    "7", "8192", "0:1");
            assertThat(write.exitCode()).as(write.toString()).isEqualTo(1);
            // ATA DRDY|ERR with ABRT: the export is read-only
            assertThat(write.stdout()).contains("write 0+1 failed: status 0x41 error 0x04");
            assertThat(Files.readAllBytes(dir.resolve("b.img"))).containsOnly(0);

            CommandResult stopped = AoeTargetProcess.interrupt(target);
            assertThat(stopped.exitCode()).as("exit status after SIGINT").isEqualTo(130);
            assertThat(stopped.stdout()).contains("aoe-target: stopped; exports flushed and closed");
            assertThat(dir.resolve("state")).isDirectoryContaining("glob:**/e1.0.json")
                    .isDirectoryContaining("glob:**/e1.1.json").isDirectoryContaining("glob:**/e1.2.json");
        }
    }
}
