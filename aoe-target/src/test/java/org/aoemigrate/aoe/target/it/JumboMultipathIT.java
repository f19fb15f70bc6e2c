package org.aoemigrate.aoe.target.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One export on two interfaces (NETIF {@code vT,vT2}) over jumbo-frame veths: aoe-sancheck sees
 * one device with two MACs and 8704-byte payloads (17 sectors), and 17-sector writes work on
 * either path.
 */
class JumboMultipathIT {

    private static final long SECTORS = 65536;

    @Test
    void oneExportOnTwoJumboPaths(@TempDir Path dir) throws Exception {
        Netns.requireRoot();
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SECTORS * 512);
        }
        try (Netns net = new Netns()) {
            Netns.Namespace targetNs = net.namespace("target");
            Netns.Namespace initiatorNs = net.namespace("initiator");
            net.veth(targetNs, "vT", initiatorNs, "vI", 9000);
            net.veth(targetNs, "vT2", initiatorNs, "vI2", 9000);

            NetnsProcess target = AoeTargetProcess.start(net, targetNs, "--state-dir", dir.resolve("state").toString(),
                    "-b", "32", "1", "1", "vT,vT2", image.toString());
            assertThat(target.output())
                    .containsPattern("e1\\.1, 65536 sectors O_RDWR buffered, .*, on vT \\(.*, MTU 9000, 17 sectors per frame,"
                            + " 32 buffers\\) and vT2 \\(.*, MTU 9000, 17 sectors per frame, 32 buffers\\)")
                    .contains("aoe-target: serving 1 export on 2 interfaces");

            CommandResult sancheck = net.exec(initiatorNs, Duration.ofSeconds(30), "aoe-sancheck");
            assertThat(sancheck.stdout()).containsPattern("(?m)^e1\\.1\\s+2\\s+8704\\s+vI,vI2\\s*$");

            for (String path : new String[] {"vI", "vI2"}) {
                long seed = path.hashCode();
                CommandResult r = net.runJava(initiatorNs, Duration.ofSeconds(30), RawAoeClient.class, path, "1", "1",
                        Long.toString(seed), Long.toString(SECTORS), "100:17", (SECTORS - 17) + ":17");
                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.stdout()).contains("sectors per frame 17", "wrote 100+17, read back equal",
                        "wrote " + (SECTORS - 17) + "+17, read back equal");
            }
            assertThat(AoeTargetProcess.terminate(target).exitCode()).isEqualTo(143);
        }
    }
}
