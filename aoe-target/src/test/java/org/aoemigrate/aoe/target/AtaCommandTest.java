package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaErrorBits;
import org.aoemigrate.aoe.wire.AtaFlags;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.IdentifyPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ATA over the hub against e1.0: 64 sectors of a 96-sector file, from sector 16 on. */
class AtaCommandTest {

    private static final int OFFSET = 16;
    private static final int SECTORS = 64;

    @TempDir
    Path dir;
    private Path image;
    private HubTarget target;

    @BeforeEach
    void start() throws IOException {
        image = HubTarget.image(dir, "disk.img", 96, 42);
        target = HubTarget.start(ExportStateStore.inMemory(),
                ExportSpec.builder(new ExportAddress(1, 0), image, "t0").offsetSectors(OFFSET).lengthSectors(SECTORS).build());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private AoeHeader ata() {
        return target.header(1, 0, AoeCommand.ATA);
    }

    private byte[] fileSectors(long lba, int count) throws IOException {
        return HubTarget.sectors(image, OFFSET + lba, count);
    }

    private static byte[] data(AtaMessage m) {
        ByteBuffer d = m.data();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    private static void assertOk(AtaMessage reply) {
        assertThat(reply.header().error()).isFalse();
        assertThat(reply.header().response()).isTrue();
        assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(reply.errFeature()).isZero();
    }

    @Test
    void identifyDescribesTheExport() throws Exception {
        AtaMessage reply = target.exchange(AtaMessage.identify(ata()));
        assertOk(reply);
        assertThat(reply.dataLength()).isEqualTo(512);
        IdentifyPage page = IdentifyPage.parse(reply.data());
        assertThat(page.sectors()).isEqualTo(SECTORS);
        assertThat(page.lba48()).isTrue();
        assertThat(page.model()).isEqualTo("aoemigrate aoe-target");
        assertThat(page.firmware()).isEqualTo(TargetVersion.FIRMWARE_STRING).isNotEmpty();
        assertThat(page.serial()).matches("1\\.0:[0-9a-f]{8}");
        assertThat(page.serial()).isEqualTo(target.server.exports().get(0).state().serial(new ExportAddress(1, 0)));
    }

    @Test
    void identifyWithACountOtherThanOneIsABadArgument() throws IOException {
        AtaMessage m = AtaMessage.identify(ata());
        AtaMessage two = new AtaMessage(m.header(), 0, 0, 2, m.cmdStatus(), m.lba(), null);
        AtaMessage reply = target.exchange(two);
        assertThat(reply.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
    }

    @Test
    void readExtReturnsTheWindowsSectorsWithTheRealAddressAndTag() throws IOException {
        AtaMessage reply = target.exchange(AtaMessage.read(ata(), 62, 2));
        assertOk(reply);
        assertThat(reply.sectorCount()).isZero();
        assertThat(reply.header().shelf()).isEqualTo(1);
        assertThat(reply.header().slot()).isZero();
        assertThat(reply.header().source()).isEqualTo(HubTarget.targetMac(0));
        assertThat(reply.header().destination()).isEqualTo(HubTarget.INITIATOR);
        assertThat(reply.lba()).isEqualTo(62);
        assertThat(data(reply)).isEqualTo(fileSectors(62, 2));
    }

    @Test
    void read28UsesTheLow28BitsAndIgnoresTheDeviceNibble() throws IOException {
        long lba = 5 | (0xE0L << 24); // lba3 = 0xE0 | lba[27:24], as Linux sends
        AtaMessage req = new AtaMessage(ata(), 0, 0, 1, AtaOpcode.READ.code(), lba, null);
        AtaMessage reply = target.exchange(req);
        assertOk(reply);
        assertThat(data(reply)).isEqualTo(fileSectors(5, 1));
    }

    @Test
    void writeExtAndWrite28LandInTheFileAtTheOffset() throws IOException {
        byte[] payload = new byte[1024];
        new Random(7).nextBytes(payload);
        AtaMessage reply = target.exchange(AtaMessage.write(ata(), 10, ByteBuffer.wrap(payload)));
        assertOk(reply);
        assertThat(reply.dataLength()).isEqualTo(60 - 36); // 60-byte reply: no data echoed, only padding
        assertThat(fileSectors(10, 2)).isEqualTo(payload);

        byte[] one = Arrays.copyOf(payload, 512);
        AtaMessage w28 = new AtaMessage(ata(), AtaFlags.WRITE, 0, 1, AtaOpcode.WRITE.code(), 63 | (0xE0L << 24),
                ByteBuffer.wrap(one));
        assertOk(target.exchange(w28));
        assertThat(fileSectors(63, 1)).isEqualTo(one);
        byte[] file = Files.readAllBytes(image);
        assertThat(Arrays.copyOfRange(file, (OFFSET + SECTORS) * 512, file.length))
                .as("the sectors after the window").isEqualTo(Arrays.copyOfRange(
                        Files.readAllBytes(HubTarget.image(dir, "pristine.img", 96, 42)), (OFFSET + SECTORS) * 512, file.length));
    }

    @Test
    void writeCarryingLessThanCountSectorsIsRefusedAndWritesNothing() throws IOException {
        byte[] before = Files.readAllBytes(image);
        AtaMessage twoSectorsOfData = AtaMessage.write(ata(), 0, ByteBuffer.allocate(1024));
        AtaMessage claimsThree = new AtaMessage(twoSectorsOfData.header(), twoSectorsOfData.aflags(), 0, 3,
                twoSectorsOfData.cmdStatus(), 0, twoSectorsOfData.data());
        target.initiator.setMtu(9000);
        target.targetPorts.get("t0").setMtu(9000);
        AtaMessage reply = target.exchange(claimsThree);
        assertThat(reply.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }

    @Test
    void moreSectorsThanTheMtuCarriesIsABadArgumentUntilTheMtuGrows() throws IOException {
        AtaMessage three = AtaMessage.read(ata(), 0, 3);
        assertThat(((AtaMessage) target.exchange(three)).header().aoeError()).contains(AoeError.BAD_ARGUMENT);

        target.initiator.setMtu(9000);
        target.targetPorts.get("t0").setMtu(9000);
        ConfigMessage cfg = target.exchange(ConfigMessage.query(target.header(1, 0, AoeCommand.QUERY_CONFIG),
                ConfigSubcommand.READ, null));
        assertThat(cfg.sectorsPerFrame()).isEqualTo(17);
        AtaMessage seventeen = target.exchange(AtaMessage.read(ata(), 0, 17));
        assertOk(seventeen);
        assertThat(data(seventeen)).isEqualTo(fileSectors(0, 17));
        assertThat(((AtaMessage) target.exchange(AtaMessage.read(ata(), 0, 18))).header().aoeError())
                .contains(AoeError.BAD_ARGUMENT);
    }

    @Test
    void theMtuIsReadAgainWithoutAQueryConfig() throws IOException, InterruptedException {
        target.initiator.setMtu(9000);
        target.targetPorts.get("t0").setMtu(9000);
        Thread.sleep(1_300); // the serve loop reads the MTU at least once a second
        target.exchange(AtaMessage.read(ata(), 0, 1)); // a frame, so the loop wakes and looks
        assertOk(target.exchange(AtaMessage.read(ata(), 0, 17)));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 63, 1_000_000})
    void rangeBeyondTheEndIsAtaIdnfNotAnAoeError(long lba) throws IOException {
        AtaMessage read = target.exchange(AtaMessage.read(ata(), lba, 2));
        assertThat(read.header().error()).isFalse();
        assertThat(read.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(read.errFeature()).isEqualTo(AtaErrorBits.IDNF);
        assertThat(read.sectorCount()).isEqualTo(2);
        assertThat(read.lba()).isEqualTo(lba);

        byte[] before = Files.readAllBytes(image);
        AtaMessage write = target.exchange(AtaMessage.write(ata(), lba, ByteBuffer.allocate(1024)));
        assertThat(write.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(write.errFeature()).isEqualTo(AtaErrorBits.IDNF);
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x25, 0x27, 0x40, 0x91, 0xB0, 0xC8, 0xCA, 0xEF, 0xF8})
    void anyOtherCommandIsAtaAbort(int opcode) throws IOException {
        AtaMessage reply = target.exchange(new AtaMessage(ata(), 0, 0, 1, opcode, 0, null));
        assertThat(reply.header().error()).isFalse();
        assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(reply.errFeature()).isEqualTo(AtaErrorBits.ABRT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0xE7, 0xEA})
    void flushCacheSucceeds(int opcode) throws IOException {
        AtaMessage reply = target.exchange(new AtaMessage(ata(), 0, 0, 0, opcode, 0, null));
        assertOk(reply);
    }

    @Test
    void checkPowerModeSaysActive() throws IOException {
        AtaMessage reply = target.exchange(AtaMessage.nonData(ata(), AtaOpcode.CHECK_POWER_MODE));
        assertOk(reply);
        assertThat(reply.sectorCount()).isEqualTo(0xFF);
    }

    @Test
    void zeroSectorReadIsAnEmptySuccess() throws IOException {
        AtaMessage req = new AtaMessage(ata(), AtaFlags.EXTENDED, 0, 0, AtaOpcode.READ_EXT.code(), 0, null);
        ByteBuffer reply = target.exchangeRaw(AoeCodec.toFrame(req));
        assertThat(reply.remaining()).isEqualTo(AoeConstants.MIN_FRAME);
        assertThat(reply.get(AoeConstants.ATA_CMD_STATUS) & 0xFF).isEqualTo(AtaStatus.OK);
    }

    @Test
    void readOnlyExportAbortsWrites(@TempDir Path other) throws IOException {
        Path ro = HubTarget.image(other, "ro.img", 8, 1);
        byte[] before = Files.readAllBytes(ro);
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(),
                ExportSpec.builder(new ExportAddress(2, 0), ro, "t0").readOnly(true).build())) {
            AtaMessage reply = t.exchange(AtaMessage.write(t.header(2, 0, AoeCommand.ATA), 0, ByteBuffer.allocate(512)));
            assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.FAILED);
            assertThat(reply.errFeature()).isEqualTo(AtaErrorBits.ABRT);
            assertOk(t.exchange(AtaMessage.read(t.header(2, 0, AoeCommand.ATA), 0, 1)));
        }
        assertThat(Files.readAllBytes(ro)).isEqualTo(before);
    }

    @Test
    void countersSeeFramesAndAtaErrors() throws IOException {
        target.exchange(AtaMessage.read(ata(), 64, 1));
        target.exchange(new AtaMessage(ata(), 0, 0, 1, 0xB0, 0, null));
        TargetCounters c = target.server.counters();
        assertThat(c.get(TargetEvent.FRAME_IN)).isEqualTo(2);
        assertThat(c.get(TargetEvent.ATA_IDNF)).isEqualTo(1);
        assertThat(c.get(TargetEvent.ATA_ABORT)).isEqualTo(1);
        assertThat(c.get(TargetEvent.REPLY_OUT)).isEqualTo(3); // the advert, then two replies
        assertThat(c.get(TargetEvent.HANDLER_FAILURE)).isZero();
    }
}
