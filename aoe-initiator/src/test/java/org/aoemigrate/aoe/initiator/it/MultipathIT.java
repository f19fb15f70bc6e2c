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
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, 64L << 20)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            long rx1 = lab.rxPackets(lab.initiator, "vI1");
            long rx2 = lab.rxPackets(lab.initiator, "vI2");
            Path out = tmp.resolve("out.bin");

            CommandResult read = lab.aoe("read", "e1.1", "--offset", "0", "--length", "64M", "--out", out.toString(),
                    "-i", "vI1", "-i", "vI2");

            assertThat(read.exitCode()).as("%s", read).isZero();
            assertThat(Files.mismatch(out, lab.image)).isEqualTo(-1);
            long frames1 = lab.rxPackets(lab.initiator, "vI1") - rx1;
            long frames2 = lab.rxPackets(lab.initiator, "vI2") - rx2;
            long replies = (64L << 20) / 1024; // 2 sectors per frame at MTU 1500
            assertThat(frames1 + frames2).isGreaterThanOrEqualTo(replies);
            // round-robin over the paths with room in their congestion window: the shares follow the windows
            // (a spurious timeout on a loaded machine halves one for a while), but both links carry real load
            assertThat(frames1).as("frames on vI1 (vI2 had %d)", frames2).isGreaterThan(replies / 32);
            assertThat(frames2).as("frames on vI2 (vI1 had %d)", frames1).isGreaterThan(replies / 32);
        }
    }

    @Test
    void aReadSurvivesALinkGoingDownMidTransfer() throws Exception {
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, IMAGE)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            Path out = tmp.resolve("out.bin");

            NetnsProcess read = lab.startAoe("read", "e1.1", "--offset", "0", "--length", Long.toString(IMAGE),
                    "--out", out.toString(), "-i", "vI1,vI2", "-v");
            int cut = cutBusiestLinkMidTransfer(lab, read);

            CommandResult result = read.waitFor(Duration.ofMinutes(3));
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(Files.mismatch(out, lab.image)).as("bytes read vs the image").isEqualTo(-1);
            // -v reports each path: the initiator noticed that the cut one went silent
            assertThat(result.stdout()).contains("  path vI" + cut + "->" + lab.mac(lab.target, "vT" + cut) + " DOWN");
        }
    }

    @Test
    void aWriteSurvivesALinkGoingDownMidTransfer() throws Exception {
        try (AoeLab lab = new AoeLab(tmp, 2, 1500, IMAGE)) {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            Path in = tmp.resolve("in.bin");
            AoeLab.writeRandom(in, IMAGE, 99);

            NetnsProcess write = lab.startAoe("write", "e1.1", "--offset", "0", "--in", in.toString(), "-i", "vI1,vI2");
            cutBusiestLinkMidTransfer(lab, write);

            CommandResult result = write.waitFor(Duration.ofMinutes(3));
            assertThat(result.exitCode()).as("%s", result).isZero();
            assertThat(Files.mismatch(in, lab.image)).as("the image vs the bytes written").isEqualTo(-1);
        }
    }

    /**
     * Waits until an eighth of the transfer is done, takes down the target's end of the link
     * that carries the most traffic at that moment (so the cut certainly hits requests in
     * flight), and checks, once the transfer is over, that the rest went over the other link.
     * The initiator balances over the paths that have room in their windows, so which link is
     * busier varies from run to run. Returns the number of the cut link.
     */
    private static int cutBusiestLinkMidTransfer(AoeLab lab, NetnsProcess transfer) throws InterruptedException {
        long frames = IMAGE / 1024; // one reply per 1 KiB frame at MTU 1500
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (lab.rxPackets(lab.initiator, "vI1") + lab.rxPackets(lab.initiator, "vI2") < frames / 8) {
            assertThat(transfer.isAlive()).as("transfer still running before the cut; it printed:%n%s", transfer.output())
                    .isTrue();
            assertThat(System.nanoTime()).as("transfer progress before the deadline").isLessThan(deadline);
            Thread.sleep(20);
        }
        long[] before = {lab.rxPackets(lab.initiator, "vI1"), lab.rxPackets(lab.initiator, "vI2")};
        Thread.sleep(50);
        long busy1 = lab.rxPackets(lab.initiator, "vI1") - before[0];
        long busy2 = lab.rxPackets(lab.initiator, "vI2") - before[1];
        int cut = busy1 >= busy2 ? 1 : 2;
        int survivor = 3 - cut;
        assertThat(Math.max(busy1, busy2)).as("frames in the last 50 ms before the cut").isPositive();

        lab.net.linkDown(lab.target, "vT" + cut);
        assertThat(transfer.isAlive()).as("the transfer was still running when vT%d went down", cut).isTrue();
        long cutAtDown = lab.rxPackets(lab.initiator, "vI" + cut);
        long survivorAtDown = lab.rxPackets(lab.initiator, "vI" + survivor);

        transfer.waitFor(Duration.ofMinutes(3));
        assertThat(lab.rxPackets(lab.initiator, "vI" + cut)).as("frames on vI%d after its peer went down", cut)
                .isEqualTo(cutAtDown);
        assertThat(lab.rxPackets(lab.initiator, "vI" + survivor) - survivorAtDown)
                .as("frames on vI%d after the cut", survivor).isGreaterThan(frames / 4);
        return cut;
    }
}
