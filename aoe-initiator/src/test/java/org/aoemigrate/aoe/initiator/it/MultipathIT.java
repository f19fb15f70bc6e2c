package org.aoemigrate.aoe.initiator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One export reachable over two veth links (our target serving e1.1 on vT1 and vT2, one
 * process), and the {@code aoe-initiator} command on both vI1 and vI2: the load is spread over
 * both links (counted by the kernel's per-interface frame counters), and a transfer survives a
 * link going down in the middle (the target's end, as a pulled cable: the initiator sees only
 * silence on that path) with every byte verified.
 */
class MultipathIT {

    static final long IMAGE = 128L << 20;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsRoot() {
        Netns.requireRoot();
    }

    @Test
    void aReadUsesBothLinks() throws Exception {
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, 32L << 20)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            long rx1 = lab.rxPackets(lab.initiator, "vI1");
            long rx2 = lab.rxPackets(lab.initiator, "vI2");
            Path out = tmp.resolve("out.bin");

            CommandResult read = lab.aoe("read", "e1.1", "--offset", "0", "--length", "32M", "--out", out.toString(),
                    "-i", "vI1", "-i", "vI2");

            assertThat(read.exitCode()).as("%s", read).isZero();
            assertThat(Files.mismatch(out, lab.image)).isEqualTo(-1);
            long frames1 = lab.rxPackets(lab.initiator, "vI1") - rx1;
            long frames2 = lab.rxPackets(lab.initiator, "vI2") - rx2;
            long replies = (32L << 20) / 1024; // 2 sectors per frame at MTU 1500
            assertThat(frames1 + frames2).isGreaterThanOrEqualTo(replies);
            // round-robin over the two paths: each carries a fair share, not a trickle
            assertThat(frames1).as("frames on vI1 (vI2 had %d)", frames2).isGreaterThan(replies / 4);
            assertThat(frames2).as("frames on vI2 (vI1 had %d)", frames1).isGreaterThan(replies / 4);
        }
    }

    @Test
    void aReadSurvivesALinkGoingDownMidTransfer() throws Exception {
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, IMAGE)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            Path out = tmp.resolve("out.bin");

            NetnsProcess read = lab.startAoe("read", "e1.1", "--offset", "0", "--length", Long.toString(IMAGE),
                    "--out", out.toString(), "-i", "vI1,vI2", "-v");
            cutLinkMidTransfer(lab, read, "vT1", "vI1", "vI2");

            CommandResult result = read.waitFor(Duration.ofMinutes(3));
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(Files.mismatch(out, lab.image)).as("bytes read vs the image").isEqualTo(-1);
            // -v reports each path: the initiator noticed the silent one
            assertThat(result.stdout()).contains("  path vI1->" + lab.mac(lab.target, "vT1") + " DOWN")
                    .contains("  path vI2->" + lab.mac(lab.target, "vT2") + " up");
        }
    }

    @Test
    void aWriteSurvivesALinkGoingDownMidTransfer() throws Exception {
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, IMAGE)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            Path in = tmp.resolve("in.bin");
            AoeLab.writeRandom(in, IMAGE, 99);

            NetnsProcess write = lab.startAoe("write", "e1.1", "--offset", "0", "--in", in.toString(), "-i", "vI1,vI2");
            cutLinkMidTransfer(lab, write, "vT2", "vI2", "vI1");

            CommandResult result = write.waitFor(Duration.ofMinutes(3));
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(Files.mismatch(in, lab.image)).as("the image vs the bytes written").isEqualTo(-1);
        }
    }

    /**
     * Waits until both initiator links have carried a good part of the transfer, takes the
     * target's end of one link down while the transfer still runs, and checks that the rest went
     * over the other link.
     */
    private static void cutLinkMidTransfer(AoeLab lab, NetnsProcess transfer, String targetEnd, String cut,
            String survivor) throws InterruptedException {
        long frames = IMAGE / 1024;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (lab.rxPackets(lab.initiator, "vI1") + lab.rxPackets(lab.initiator, "vI2") < frames / 8) {
            assertThat(transfer.isAlive()).as("transfer still running before the cut; it printed:%n%s", transfer.output())
                    .isTrue();
            assertThat(System.nanoTime()).as("transfer progress before the deadline").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(lab.rxPackets(lab.initiator, cut)).as("frames on %s before the cut", cut).isGreaterThan(frames / 32);
        lab.net.linkDown(lab.target, targetEnd);
        assertThat(transfer.isAlive()).as("the transfer was still running when %s went down", targetEnd).isTrue();
        long cutAtDown = lab.rxPackets(lab.initiator, cut);
        long survivorAtDown = lab.rxPackets(lab.initiator, survivor);

        transfer.waitFor(Duration.ofMinutes(3));
        assertThat(lab.rxPackets(lab.initiator, cut)).as("frames on %s after its peer went down", cut)
                .isEqualTo(cutAtDown);
        assertThat(lab.rxPackets(lab.initiator, survivor) - survivorAtDown).as("frames on %s after the cut", survivor)
                .isGreaterThan(frames / 4);
    }
}
