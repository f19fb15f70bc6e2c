package org.aoemigrate.aoe.initiator.etherdit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.RetransmitPolicy;
import org.aoemigrate.aoe.initiator.etherd.AoeBlockBackend;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.wire.MacAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AoE device as the storage of {@code /dev/etherd/eS.L}: a real target on an in-memory
 * segment, the initiator on another port. What the FUSE layer relies on: byte offsets map to
 * sectors, writes are in the image when they return, flush goes out as ATA FLUSH CACHE, and every
 * failure (misaligned, past the end, reserved to another host, no answer) is an IOException
 * (EIO for the reader), in bounded time.
 */
class AoeBlockBackendTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final long SECTORS = 2048;
    /** FLUSH CACHE: the initiator sends the 28-bit form, which vblade accepts too. */
    private static final int ATA_FLUSH_CACHE = 0xE7;

    @TempDir
    Path dir;
    private final MemoryHub hub = new MemoryHub();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path image;
    private TargetServer target;
    private MemoryHubPort tap;
    private AoeBlockBackend backend;

    @BeforeEach
    void setUp() throws IOException {
        image = dir.resolve("disk.img");
        byte[] data = new byte[(int) (SECTORS * 512)];
        new Random(1).nextBytes(data);
        Files.write(image, data);
        LinkOpener opener = (name, frames) -> new LinkOpener.Opened(hub.port(name, new MacAddress(0x0200_0000_0101L), 9000), frames);
        target = new TargetServer(List.of(ExportSpec.builder(new ExportAddress(1, 1), image, "t0").build()), ExportStateStore.inMemory(), opener,
                Duration.ZERO);
        target.start();
        tap = hub.tap("tap");
        MemoryHubPort port = hub.port("i0", new MacAddress(0x0200_0000_0201L), 9000);
        RetransmitPolicy retransmit = RetransmitPolicy.DEFAULT.withDeadline(DEADLINE)
                .withTimeouts(Duration.ofMillis(20), Duration.ofMillis(5), Duration.ofMillis(200)).withMinWriteTimeout(Duration.ofMillis(20));
        AoeInitiator initiator = AoeInitiator.over(List.of(port), InitiatorOptions.DEFAULT.withRetransmit(retransmit)
                .withDiscoveryWait(Duration.ofMillis(400)));
        open.add(initiator);
        open.add(port);
        open.add(tap);
        backend = new AoeBlockBackend(initiator.open(new AoeAddress(1, 1)));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        target.close();
    }

    @Test
    void theSizeIsTheDevicesSectorsInBytes() {
        assertThat(backend.sizeBytes()).isEqualTo(SECTORS * 512);
    }

    @Test
    void aWriteAtAByteOffsetIsInTheImageWhenItReturnsAndReadsBack() throws IOException {
        byte[] data = new byte[64 * 1024];
        new Random(2).nextBytes(data);

        backend.write(3 * 512, ByteBuffer.wrap(data));

        assertThat(EtherdHosts.slice(image, 3 * 512, data.length)).isEqualTo(data);
        ByteBuffer back = ByteBuffer.allocateDirect(data.length);
        backend.read(3 * 512, back);
        byte[] read = new byte[data.length];
        back.flip().get(read);
        assertThat(read).isEqualTo(data);
    }

    @Test
    void flushGoesToTheTargetAsFlushCache() throws IOException {
        drain();
        backend.flush();
        assertThat(ataCommandsSeen()).contains(ATA_FLUSH_CACHE);
    }

    @Test
    void aRangeNotInWholeSectorsFailsWithoutReachingTheTarget() throws IOException {
        drain();
        assertThatThrownBy(() -> backend.read(100, ByteBuffer.allocate(512))).isInstanceOf(IOException.class).hasMessageContaining("e1.1")
                .hasMessageContaining("whole 512-byte sectors");
        assertThatThrownBy(() -> backend.write(512, ByteBuffer.allocate(700))).isInstanceOf(IOException.class);
        assertThat(ataCommandsSeen()).isEmpty();
    }

    @Test
    void aReadPastTheEndIsAnIoError() {
        assertThatThrownBy(() -> backend.read(SECTORS * 512, ByteBuffer.allocate(512))).isInstanceOf(IOException.class).hasMessageContaining("e1.1");
    }

    @Test
    void aReservationForAnotherHostIsAnIoErrorAtOnce() throws IOException {
        backend.device().reserveSet(List.of(new MacAddress(0x0200_0000_0999L)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> backend.write(0, ByteBuffer.allocate(4096))).isInstanceOf(IOException.class).hasMessageContaining("e1.1");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE);
        backend.device().forceRelease();
    }

    @Test
    void aSilentTargetIsAnIoErrorAfterTheDeadline() {
        target.stop();
        long start = System.nanoTime();

        assertThatThrownBy(() -> backend.read(0, ByteBuffer.allocate(1 << 20))).isInstanceOf(IOException.class).hasMessageContaining("no answer");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(DEADLINE, DEADLINE.multipliedBy(3));
    }

    private void drain() throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(65535);
        while (tap.receive(frame.clear(), 50)) {
            // forget what came before
        }
    }

    /** The ATA command of every AoE ATA request the tap saw (r11 3.1: command 0; the ATA header's command byte at 27). */
    private List<Integer> ataCommandsSeen() throws IOException {
        // receive() hands the frame over flipped: position 0, limit its length
        List<Integer> commands = new ArrayList<>();
        ByteBuffer frame = ByteBuffer.allocate(65535);
        while (tap.receive(frame.clear(), 200)) {
            boolean aoe = frame.limit() > 27 && (frame.getShort(12) & 0xFFFF) == 0x88A2;
            boolean request = aoe && (frame.get(14) & 0x08) == 0;
            if (request && frame.get(19) == 0) {
                commands.add(frame.get(27) & 0xFF);
            }
        }
        return commands;
    }
}
