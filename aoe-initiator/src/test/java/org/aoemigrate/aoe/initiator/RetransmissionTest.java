package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetransmissionTest {

    static final long SECTORS = 1024;

    @TempDir
    Path dir;
    HubLab lab;
    Path image;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        lab.targetInterface("t0", "a", 1500);
        image = lab.disk("d", SECTORS, 7);
        lab.serve(ExportSpec.builder(new ExportAddress(3, 1), image, "t0").build());
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void dataSurvivesLostFramesAndTheResendsAreCounted() throws Exception {
        LossyLink lossy = new LossyLink(lab.initiatorPort("i0", "a", 1500), 0, 99);
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lossy);
        AoeDevice disk = aoe.open(new AoeAddress(3, 1));
        lossy.setLossRate(0.1);
        Random random = new Random(5);
        byte[] data = new byte[(int) SECTORS * 512];
        random.nextBytes(data);

        disk.write(0, ByteBuffer.wrap(data));
        ByteBuffer back = ByteBuffer.allocate(data.length);
        disk.read(0, back);

        assertThat(back.array()).isEqualTo(data);
        assertThat(HubLab.fileBytes(image, 0, data.length)).isEqualTo(data);
        assertThat(lossy.lost()).as("the wrapper really lost frames").isGreaterThan(50);
        DeviceStats stats = disk.stats();
        assertThat(stats.retransmissions()).isGreaterThan(0);
        assertThat(stats.paths().get(0).timeouts()).isEqualTo(stats.retransmissions());
        assertThat(stats.timeouts()).isZero();
        assertThat(aoe.internalFailures()).isZero();
    }

    @Test
    void everyTagHasBit31SetAndResendsUseNewTags() throws Exception {
        MemoryHubPort tap = lab.segment("a").tap("tap");
        LossyLink lossy = new LossyLink(lab.initiatorPort("i0", "a", 1500), 0, 3);
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lossy);
        AoeDevice disk = aoe.open(new AoeAddress(3, 1));
        lossy.setLossRate(0.2);

        disk.read(0, ByteBuffer.allocate(256 * 512));

        List<Integer> requestTags = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocate(9100);
        while (tap.receive(frame, 0)) {
            boolean fromInitiator = frame.getShort(AoeConstants.ETHERTYPE) == (short) AoeConstants.ETHERTYPE_AOE
                    && (frame.get(AoeConstants.VERSION_FLAGS) & AoeConstants.FLAG_RESPONSE) == 0
                    && frame.getShort(AoeConstants.SHELF) == 3;
            if (fromInitiator) {
                requestTags.add(frame.getInt(AoeConstants.TAG));
            }
        }
        assertThat(disk.stats().retransmissions()).isGreaterThan(0);
        assertThat(requestTags).isNotEmpty().allSatisfy(tag -> assertThat(tag & 0x8000_0000).isNotZero());
        Set<Integer> distinct = new HashSet<>(requestTags);
        assertThat(distinct).as("no two transmissions share a tag, resends included").hasSameSizeAs(requestTags);
    }

    @Test
    void answersToAnAbandonedCopyAreIgnored() throws Exception {
        // every reply arrives, but the timeout is so short that copies are resent before the
        // first answer: the late answers must not complete anything twice or corrupt data
        InitiatorOptions impatient = HubLab.FAST.withRetransmit(HubLab.FAST.retransmit()
                .withTimeouts(java.time.Duration.ofNanos(1000), java.time.Duration.ofNanos(1000),
                        java.time.Duration.ofNanos(1000))
                .withMinWriteTimeout(java.time.Duration.ZERO));
        AoeInitiator aoe = lab.initiator(impatient, lab.initiatorPort("i0", "a", 1500));
        AoeDevice disk = aoe.open(new AoeAddress(3, 1));
        byte[] data = new byte[128 * 512];
        new Random(1).nextBytes(data);

        disk.write(100, ByteBuffer.wrap(data));
        ByteBuffer back = ByteBuffer.allocate(data.length);
        disk.read(100, back);

        assertThat(back.array()).isEqualTo(data);
        assertThat(aoe.internalFailures()).isZero();
    }
}
