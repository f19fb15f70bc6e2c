package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.aoemigrate.aoe.target.Export;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataPathTest {

    static final long SECTORS = 2048;

    @TempDir
    Path dir;
    HubLab lab;
    Path image;

    @BeforeEach
    void setUp() {
        lab = new HubLab(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    private AoeDevice open(int mtu) throws Exception {
        lab.targetInterface("t0", "a", mtu);
        image = lab.disk("d", SECTORS, 42);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 2), image, "t0").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("i0", "a", mtu));
        return aoe.open(new AoeAddress(1, 2));
    }

    @Test
    void identifyReportsSizeModelAndSerial() throws Exception {
        AoeDevice disk = open(1500);

        Identity id = disk.identify();

        assertThat(id.sectors()).isEqualTo(SECTORS);
        assertThat(id.lba48()).isTrue();
        assertThat(id.model()).isEqualTo(Export.MODEL);
        assertThat(id.serial()).isNotBlank();
        assertThat(disk.identity()).isEqualTo(id);
        assertThat(disk.sectors()).isEqualTo(SECTORS);
    }

    @Test
    void readsWhatTheImageHolds() throws Exception {
        AoeDevice disk = open(1500);
        ByteBuffer buf = ByteBuffer.allocate((int) SECTORS * 512);

        disk.read(0, buf);

        assertThat(buf.position()).as("the sync read advances the position").isEqualTo(buf.limit());
        assertThat(buf.array()).isEqualTo(HubLab.fileBytes(image, 0, (int) SECTORS * 512));
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = {1500, 9000, 1000})
    void writesAtRandomOffsetsAndLengthsReadBackAndLandInTheImage(int mtu) throws Exception {
        AoeDevice disk = open(mtu);
        Random random = new Random(mtu);
        byte[] expected = HubLab.fileBytes(image, 0, (int) SECTORS * 512);
        for (int round = 0; round < 40; round++) {
            int sectors = 1 + random.nextInt(70); // often not a multiple of the frame size
            long lba = random.nextInt((int) SECTORS - sectors + 1);
            byte[] data = new byte[sectors * 512];
            random.nextBytes(data);
            // direct and heap buffers, and a slice that does not start at 0
            ByteBuffer src = round % 2 == 0 ? ByteBuffer.allocateDirect(data.length + 512) : ByteBuffer.allocate(data.length + 512);
            src.position(512);
            src.put(data).flip().position(512);
            disk.write(lba, src);
            System.arraycopy(data, 0, expected, (int) lba * 512, data.length);

            ByteBuffer back = ByteBuffer.allocate(data.length);
            disk.read(lba, back);
            assertThat(back.array()).as("round %d: %d sectors at %d", round, sectors, lba).isEqualTo(data);
        }
        assertThat(HubLab.fileBytes(image, 0, (int) SECTORS * 512)).isEqualTo(expected);
    }

    @Test
    void manyAsyncReadsInFlightAllComplete() throws Exception {
        AoeDevice disk = open(1500);
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocate(16 * 512);
            buffers.add(b);
            reads.add(disk.readAsync(i * 16L, b));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get();

        for (int i = 0; i < 64; i++) {
            assertThat(buffers.get(i).array()).isEqualTo(HubLab.fileBytes(image, i * 16L, 16 * 512));
            assertThat(buffers.get(i).position()).as("async leaves the position alone").isZero();
        }
        DeviceStats stats = disk.stats();
        assertThat(stats.requests()).isEqualTo(stats.answers()).isGreaterThanOrEqualTo(64 * 8);
        assertThat(stats.paths().get(0).outstanding()).isZero();
    }

    @Test
    void readingPastTheEndIsAnAtaErrorNamingTheLba() throws Exception {
        AoeDevice disk = open(1500);

        assertThatThrownBy(() -> disk.read(SECTORS - 1, ByteBuffer.allocate(4 * 512)))
                .isInstanceOfSatisfying(AtaErrorException.class, e -> {
                    assertThat(e.isOutOfRange()).isTrue();
                    assertThat(e.lba()).isEqualTo(SECTORS - 1);
                    assertThat(e.status() & 0x01).as("ERR").isEqualTo(1);
                })
                .hasMessageContaining("e1.2")
                .hasMessageContaining("LBA " + (SECTORS - 1))
                .hasMessageContaining("IDNF");
    }

    @Test
    void partialSectorsAreRefusedBeforeAnythingIsSent() throws Exception {
        AoeDevice disk = open(1500);

        assertThatThrownBy(() -> disk.write(0, ByteBuffer.allocate(700)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("700 bytes is not a multiple of 512");
        assertThat(disk.stats().requests()).as("only the IDENTIFY of open").isEqualTo(1);
    }

    @Test
    void flushIsAnswered() throws Exception {
        AoeDevice disk = open(1500);
        disk.write(5, ByteBuffer.allocate(512));

        disk.flush();

        assertThat(HubLab.fileBytes(image, 5, 512)).isEqualTo(new byte[512]);
    }

    @Test
    void zeroLengthTransfersCompleteAtOnce() throws Exception {
        AoeDevice disk = open(1500);

        disk.read(3, ByteBuffer.allocate(0));

        assertThat(disk.stats().requests()).isEqualTo(1);
    }
}
