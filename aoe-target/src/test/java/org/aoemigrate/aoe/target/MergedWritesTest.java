package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AtaErrorBits;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adjacent writes of a received batch go to a page-cache export in one gathered write, and
 * each is answered only after it: a write that failed or wrote less is redone request by
 * request, so every reply says what happened to its own sectors. Over a real file behind a
 * channel that fails on cue ({@link FaultyChannel}), through the serve loop's entry point.
 */
class MergedWritesTest {

    private static final int SECTORS = 128;
    private static final MacAddress TARGET = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress INITIATOR = MacAddress.parse("02:00:00:00:00:0a");

    @TempDir
    Path dir;
    private Path image;
    private byte[] before;
    private FaultyChannel channel;
    private Export export;
    private ServedLink link;
    private final TargetCounters counters = new TargetCounters();
    private RequestHandler handler;
    private int nextTag = 1;

    @BeforeEach
    void open() throws IOException {
        image = HubTarget.image(dir, "disk.img", SECTORS, 5);
        before = Files.readAllBytes(image);
        channel = new FaultyChannel(FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE));
        ExportSpec spec = ExportSpec.builder(new ExportAddress(1, 0), image, "m0").build();
        export = Export.open(spec, ExportStateStore.inMemory(), s -> BackingStore.overChannel(image, channel, false));
        link = new ServedLink(new MemoryHub().port("m0", TARGET, 9000), 64, List.of(export));
        handler = new RequestHandler(counters);
    }

    @AfterEach
    void close() throws IOException {
        export.close();
    }

    private AtaMessage write(long lba, int sectors, int fill) {
        byte[] data = new byte[sectors * 512];
        Arrays.fill(data, (byte) fill);
        return AtaMessage.write(header(), lba, ByteBuffer.wrap(data));
    }

    private AoeHeader header() {
        return AoeHeader.request(TARGET, INITIATOR, 1, 0, AoeCommand.ATA, nextTag++);
    }

    /** Handles the requests as one received batch; returns the replies in the order they were sent. */
    private List<AtaMessage> batch(AoeMessage... requests) throws Exception {
        ByteBuffer[] frames = new ByteBuffer[requests.length];
        for (int i = 0; i < requests.length; i++) {
            frames[i] = ByteBuffer.allocateDirect(RequestHandler.MAX_REPLY);
            AoeCodec.encode(requests[i], frames[i]);
            frames[i].flip();
        }
        List<ByteBuffer> out = new ArrayList<>();
        handler.handleBatch(link, frames, requests.length, reply -> {
            ByteBuffer copy = ByteBuffer.allocate(reply.remaining());
            copy.put(reply.duplicate()).flip();
            out.add(copy);
        });
        List<AtaMessage> replies = new ArrayList<>();
        for (ByteBuffer b : out) {
            replies.add((AtaMessage) AoeCodec.decode(b));
        }
        assertThat(replies).extracting(m -> m.header().tag())
                .as("one reply per request, in arrival order")
                .containsExactlyElementsOf(Arrays.stream(requests).map(r -> r.header().tag()).toList());
        return replies;
    }

    /** Eight 2-sector writes at 4, 6, ..., 18, filled with 1..8. */
    private AtaMessage[] eightAdjacentWrites() {
        AtaMessage[] writes = new AtaMessage[8];
        for (int i = 0; i < writes.length; i++) {
            writes[i] = write(4 + 2L * i, 2, i + 1);
        }
        return writes;
    }

    @Test
    void adjacentWritesOfABatchTakeOneGatheredWriteAndAreAnsweredAfterIt() throws Exception {
        List<AtaMessage> replies = batch(eightAdjacentWrites());

        assertThat(channel.log).as("system calls that wrote").containsExactly("gathered 2048+8192");
        assertThat(replies).allMatch(r -> r.cmdStatus() == AtaStatus.OK && r.sectorCount() == 0);
        for (int i = 0; i < 8; i++) {
            assertThat(HubTarget.sectors(image, 4 + 2L * i, 2)).as("write " + i).isEqualTo(HubTarget.filled(2, i + 1));
        }
        assertThat(HubTarget.sectors(image, 0, 4)).as("before the run").isEqualTo(Arrays.copyOfRange(before, 0, 4 * 512));
        assertThat(HubTarget.sectors(image, 20, 4)).as("after the run").isEqualTo(Arrays.copyOfRange(before, 20 * 512, 24 * 512));
    }

    @Test
    void aShortGatheredWriteIsRedoneRequestByRequestAndEachReplySaysWhatHappenedToItsSectors() throws Exception {
        channel.gatheredStopsAfter = 3 * 1024 + 512; // into the fourth write: a disk that ran out of room
        channel.failFrom = (4 + 2 * 5) * 512L;      // and the sixth write's sectors cannot be written at all
        channel.failTo = channel.failFrom + 1024;

        List<AtaMessage> replies = batch(eightAdjacentWrites());

        assertThat(channel.log).hasSize(9).first().isEqualTo("gathered 2048+8192");
        for (int i = 0; i < 8; i++) {
            AtaMessage r = replies.get(i);
            if (i == 5) {
                assertThat(r.cmdStatus()).as("status of the write that failed").isEqualTo(AtaStatus.FAILED);
                assertThat(r.errFeature()).isEqualTo(AtaErrorBits.ABRT);
                assertThat(r.sectorCount()).as("sectors left").isEqualTo(2);
                assertThat(HubTarget.sectors(image, 14, 2)).as("its sectors, untouched")
                        .isEqualTo(Arrays.copyOfRange(before, 14 * 512, 16 * 512));
            } else {
                assertThat(r.cmdStatus()).as("status of write " + i).isEqualTo(AtaStatus.OK);
                assertThat(HubTarget.sectors(image, 4 + 2L * i, 2)).as("sectors of write " + i).isEqualTo(HubTarget.filled(2, i + 1));
            }
        }
        assertThat(counters.get(TargetEvent.IO_ERROR)).isEqualTo(1);
        assertThat(counters.get(TargetEvent.HANDLER_FAILURE)).isZero();
    }

    @Test
    void aGatheredWriteThatFailsMidwayIsRedoneAndEveryRequestIsWritten() throws Exception {
        channel.gatheredStopsAfter = 5000;
        channel.gatheredThrows = true;

        List<AtaMessage> replies = batch(eightAdjacentWrites());

        assertThat(channel.log).hasSize(9);
        assertThat(replies).allMatch(r -> r.cmdStatus() == AtaStatus.OK);
        for (int i = 0; i < 8; i++) {
            assertThat(HubTarget.sectors(image, 4 + 2L * i, 2)).as("write " + i).isEqualTo(HubTarget.filled(2, i + 1));
        }
        assertThat(counters.get(TargetEvent.IO_ERROR)).isZero();
    }

    @Test
    void everyRequestActsOnTheStoreInArrivalOrder() throws Exception {
        AtaMessage a = write(10, 2, 0xA1);
        AtaMessage b = write(12, 2, 0xB2);
        AtaMessage readBoth = AtaMessage.read(header(), 10, 4);
        AtaMessage old = write(30, 1, 0x01); // a stale copy followed by the newer write of the same sector
        AtaMessage newer = write(30, 1, 0x02);
        AtaMessage flush = new AtaMessage(header(), 0, 0, 0, AtaOpcode.FLUSH_CACHE_EXT.code(), 0, null);
        AtaMessage c = write(10, 1, 0xC3);

        List<AtaMessage> replies = batch(a, b, readBoth, old, newer, flush, c);

        assertThat(replies).allMatch(r -> r.cmdStatus() == AtaStatus.OK);
        ByteBuffer seen = replies.get(2).data();
        byte[] got = new byte[seen.remaining()];
        seen.get(got);
        byte[] expected = new byte[4 * 512];
        System.arraycopy(HubTarget.filled(2, 0xA1), 0, expected, 0, 1024);
        System.arraycopy(HubTarget.filled(2, 0xB2), 0, expected, 1024, 1024);
        assertThat(got).as("the read sees the two writes before it, not the one after").isEqualTo(expected);
        assertThat(HubTarget.sectors(image, 30, 1)).as("the later of two writes to one sector").isEqualTo(HubTarget.filled(1, 0x02));
        assertThat(HubTarget.sectors(image, 10, 1)).isEqualTo(HubTarget.filled(1, 0xC3));
        assertThat(channel.log).as("writes and flush, in the order they reached the file")
                .containsExactly("gathered 5120+2048", "write 15360+512", "write 15360+512", "force", "write 5120+512");
    }

    @Test
    void aRefusedWriteIsAnsweredInItsTurnAndHandleAnswersEachWriteItself() throws Exception {
        AtaMessage first = write(60, 2, 0x11);
        AtaMessage beyond = write(SECTORS - 1, 2, 0x22); // leaves the export: IDNF, nothing written
        AtaMessage next = write(62, 2, 0x33);

        List<AtaMessage> replies = batch(first, beyond, next);

        assertThat(replies.get(1).cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(replies.get(1).errFeature()).isEqualTo(AtaErrorBits.IDNF);
        assertThat(replies.get(0).cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(replies.get(2).cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(channel.log).as("the refused write between them ends the first's run")
                .containsExactly("write 30720+1024", "write 31744+1024");
        assertThat(HubTarget.sectors(image, SECTORS - 1, 1)).isEqualTo(Arrays.copyOfRange(before, (SECTORS - 1) * 512, SECTORS * 512));

        channel.log.clear();
        List<ByteBuffer> out = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocateDirect(RequestHandler.MAX_REPLY);
        AoeCodec.encode(write(70, 1, 0x44), frame);
        handler.handle(link, frame.flip(), out::add);
        assertThat(out).as("handle answers before it returns").hasSize(1);
        assertThat(channel.log).containsExactly("write 35840+512");
    }
}
