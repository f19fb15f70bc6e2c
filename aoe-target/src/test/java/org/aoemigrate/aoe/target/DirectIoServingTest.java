package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaErrorBits;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export in direct mode over the hub: its reads, writes and flushes go through the I/O threads. */
class DirectIoServingTest {

    private static final int SECTORS = 64;

    @TempDir
    Path dir;
    private Path image;
    private HubTarget target;

    @BeforeEach
    void start() throws IOException {
        image = HubTarget.image(dir, "disk.img", SECTORS, 11);
        ExportSpec spec = ExportSpec.builder(new ExportAddress(1, 0), image, "t0").ioMode(IoMode.DIRECT)
                .bufferCount(HubTarget.QUEUE_FRAMES).build();
        try {
            target = HubTarget.start(ExportStateStore.inMemory(), spec);
        } catch (IOException e) {
            assumeTrue(!String.valueOf(e.getMessage()).contains("Invalid argument"),
                    "the temporary directory's file system refuses O_DIRECT: " + e);
            throw e;
        }
    }

    @AfterEach
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private AoeHeader ata() {
        return target.header(1, 0, AoeCommand.ATA);
    }

    private static byte[] data(AtaMessage m) {
        ByteBuffer d = m.data();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    /** The replies to {@code n} requests sent before, by tag; fails if one is missing. */
    private Map<Integer, AtaMessage> replies(int n) throws Exception {
        Map<Integer, AtaMessage> byTag = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ByteBuffer b = target.receive();
            assertThat(b).as("reply " + (i + 1) + " of " + n).isNotNull();
            AtaMessage m = (AtaMessage) AoeCodec.decode(b);
            assertThat(byTag.put(m.header().tag(), m)).as("one reply per tag").isNull();
        }
        return byTag;
    }

    @Test
    void readsAndWritesLandWithTheirTagsAndTheIoThreadsDidThem() throws Exception {
        AtaMessage read = target.exchange(AtaMessage.read(ata(), 61, 2));
        assertThat(read.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(read.header().source()).isEqualTo(HubTarget.targetMac(0));
        assertThat(data(read)).isEqualTo(HubTarget.sectors(image, 61, 2));

        byte[] payload = HubTarget.filled(2, 0x5A);
        AtaMessage written = target.exchange(AtaMessage.write(ata(), 7, ByteBuffer.wrap(payload)));
        assertThat(written.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(HubTarget.sectors(image, 7, 2)).as("in the file, without a flush: O_DIRECT|O_DSYNC").isEqualTo(payload);
        assertThat(target.server.exports().get(0).ioOrder().inFlight()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("aoe-target io "));
    }

    @Test
    void aBurstOfWritesToOneSectorEndsWithTheLastAndAReadBehindThemSeesIt() throws Exception {
        int writes = 40;
        for (int i = 1; i <= writes; i++) {
            target.send(AtaMessage.write(ata(), 3, ByteBuffer.wrap(HubTarget.filled(1, i))));
        }
        AtaMessage readBehind = AtaMessage.read(ata(), 3, 1);
        target.send(readBehind);
        Map<Integer, AtaMessage> got = replies(writes + 1);
        assertThat(got.values()).allMatch(m -> m.cmdStatus() == AtaStatus.OK);
        assertThat(data(got.get(readBehind.header().tag()))).as("what the read behind the writes saw")
                .isEqualTo(HubTarget.filled(1, writes));
        assertThat(HubTarget.sectors(image, 3, 1)).isEqualTo(HubTarget.filled(1, writes));
    }

    @Test
    void flushCacheAnswersAfterTheWritesBeforeIt() throws Exception {
        AtaMessage w = AtaMessage.write(ata(), 20, ByteBuffer.wrap(HubTarget.filled(2, 0x33)));
        AtaMessage flush = new AtaMessage(ata(), 0, 0, 0, AtaOpcode.FLUSH_CACHE_EXT.code(), 0, null);
        target.send(w);
        target.send(flush);
        Map<Integer, AtaMessage> got = replies(2);
        assertThat(got.get(flush.header().tag()).cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(HubTarget.sectors(image, 20, 2)).isEqualTo(HubTarget.filled(2, 0x33));
    }

    @Test
    void aFailingReadIsAnAtaAbortWithTheRequestsTag() throws Exception {
        try (FileChannel c = FileChannel.open(image, StandardOpenOption.WRITE)) {
            c.truncate(8 * 512); // the export still thinks it has 64 sectors: reads past 8 hit the end of the file
        }
        AtaMessage request = AtaMessage.read(ata(), 40, 2);
        AtaMessage reply = target.exchange(request);
        assertThat(reply.header().error()).as("an ATA error, not an AoE error").isFalse();
        assertThat(reply.header().tag()).isEqualTo(request.header().tag());
        assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(reply.errFeature()).isEqualTo(AtaErrorBits.ABRT);
        assertThat(reply.sectorCount()).as("sectors left").isEqualTo(2);
        assertThat(reply.dataLength()).isLessThan(512);
        assertThat(target.server.counters().get(TargetEvent.IO_ERROR)).isEqualTo(1);
        assertThat(target.server.counters().get(TargetEvent.HANDLER_FAILURE)).isZero();

        AtaMessage stillThere = target.exchange(AtaMessage.read(ata(), 4, 1));
        assertThat(stillThere.cmdStatus()).as("the sectors the file still has").isEqualTo(AtaStatus.OK);
    }

    @Test
    void adjacentReadsInOneBurstGetTheirOwnSectorsAndAFailedRunIsReadRequestByRequest() throws Exception {
        byte[] before = Files.readAllBytes(image);
        AtaMessage[] reads = new AtaMessage[6];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = AtaMessage.read(ata(), 4 + 2L * i, 2); // sectors 4..15, crossing block boundaries
            target.send(reads[i]);
        }
        Map<Integer, AtaMessage> got = replies(reads.length);
        for (int i = 0; i < reads.length; i++) {
            AtaMessage reply = got.get(reads[i].header().tag());
            assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.OK);
            assertThat(data(reply)).as("sectors of read " + i)
                    .isEqualTo(Arrays.copyOfRange(before, (4 + 2 * i) * 512, (6 + 2 * i) * 512));
        }

        try (FileChannel c = FileChannel.open(image, StandardOpenOption.WRITE)) {
            c.truncate(16 * 512);
        }
        AtaMessage inside = AtaMessage.read(ata(), 12, 2);
        AtaMessage across = AtaMessage.read(ata(), 14, 2);
        AtaMessage beyond = AtaMessage.read(ata(), 16, 2);
        target.send(inside);
        target.send(across);
        target.send(beyond);
        got = replies(3);
        assertThat(got.get(inside.header().tag()).cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(data(got.get(inside.header().tag()))).isEqualTo(Arrays.copyOfRange(before, 12 * 512, 14 * 512));
        assertThat(got.get(across.header().tag()).cmdStatus()).as("sectors 14-15 are still in the file").isEqualTo(AtaStatus.OK);
        assertThat(got.get(beyond.header().tag()).cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(got.get(beyond.header().tag()).errFeature()).isEqualTo(AtaErrorBits.ABRT);
    }

    @Test
    void checksStayOnTheReceivePath() throws Exception {
        AtaMessage beyond = target.exchange(AtaMessage.read(ata(), SECTORS, 1));
        assertThat(beyond.errFeature()).isEqualTo(AtaErrorBits.IDNF);
        AtaMessage tooMany = target.exchange(AtaMessage.read(ata(), 0, 3)); // MTU 1500 carries 2
        assertThat(tooMany.header().aoeError()).isPresent();
        assertThat(target.server.exports().get(0).ioOrder().inFlight()).isZero();
    }
}
