package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.aoemigrate.aoe.testing.Pcapng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fields of known vblade frames, as the probe report reads them (sample-frames.txt numbers are
 * final.pcap frame numbers; pcap numbers count from 1 as tshark does).
 */
class KnownFramesTest {

    private static final MacAddress VBLADE = MacAddress.parse("a6:0c:ba:c6:1f:b9");
    private static final MacAddress INITIATOR = MacAddress.parse("2e:22:e9:fa:11:71");
    private static final MacAddress MASKED_IN = MacAddress.parse("02:00:00:00:00:0a");

    private static <T extends AoeMessage> T sample(int number, BufferKind kind, Class<T> type) throws Exception {
        return type.cast(AoeCodec.decode(kind.wrap(SampleFrames.frame(number))));
    }

    private static byte[] captured(String capture, int number) {
        List<byte[]> frames = Pcapng.framesOfResource("/vblade-capture/" + capture);
        return frames.get(number - 1);
    }

    private static <T extends AoeMessage> T captured(String capture, int number, BufferKind kind, Class<T> type)
            throws Exception {
        return type.cast(AoeCodec.decode(kind.wrap(captured(capture, number))));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void startupAdvertIsAVersionZeroConfigResponseToBroadcast(BufferKind kind) throws Exception {
        ConfigMessage advert = sample(1, kind, ConfigMessage.class);

        assertThat(advert.header()).isEqualTo(
                new AoeHeader(MacAddress.BROADCAST, VBLADE, 0, true, false, 0, 1, 1, 1, 0));
        assertThat(advert.bufferCount()).isEqualTo(16);
        assertThat(advert.firmwareVersion()).isEqualTo(0x4019);
        assertThat(advert.sectorsPerFrame()).isEqualTo(2);
        assertThat(advert.aoeVersion()).isEqualTo(1);
        assertThat(advert.subcommand()).contains(ConfigSubcommand.READ);
        assertThat(advert.configString()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void discoveryRequestIsABroadcastRead(BufferKind kind) throws Exception {
        ConfigMessage query = sample(2, kind, ConfigMessage.class);

        assertThat(query.header()).isEqualTo(new AoeHeader(
                MacAddress.BROADCAST, INITIATOR, 1, false, false, 0, 0xFFFF, 0xFF, 1, 0xd1690001));
        assertThat(query.header().addresses(1, 1)).isTrue();
        assertThat(query.subcommand()).contains(ConfigSubcommand.READ);
        assertThat(BufferKind.bytes(AoeCodec.toFrame(ConfigMessage.discover(INITIATOR, 0xd1690001))))
                .isEqualTo(SampleFrames.frame(2));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void queryConfigResponseCarriesBufferCountFirmwareAndSectors(BufferKind kind) throws Exception {
        ConfigMessage reply = sample(3, kind, ConfigMessage.class);

        assertThat(reply.header().response()).isTrue();
        assertThat(reply.header().source()).isEqualTo(VBLADE);
        assertThat(reply.header().shelf()).isEqualTo(1);
        assertThat(reply.header().slot()).isEqualTo(1);
        assertThat(reply.header().tag()).isEqualTo(0xd1690001);
        assertThat(reply.bufferCount()).isEqualTo(16);
        assertThat(reply.firmwareVersion()).isEqualTo(0x4019);
        assertThat(reply.sectorsPerFrame()).isEqualTo(2);
        assertThat(AoeCodec.encodedLength(reply)).isEqualTo(32);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void identifyRequestCarriesDeviceBitsInLba3(BufferKind kind) throws Exception {
        AtaMessage identify = sample(6, kind, AtaMessage.class);

        assertThat(identify.opcode()).contains(AtaOpcode.IDENTIFY);
        assertThat(identify.sectorCount()).isEqualTo(1);
        assertThat(identify.lba()).isEqualTo(0xA0L << 24);
        assertThat(identify.deviceBits()).isEqualTo(0xA0);
        assertThat(identify.lba28()).isZero();
        assertThat(identify.addressedLba()).isZero();
        assertThat(identify.dataLength()).as("Ethernet padding").isEqualTo(24);
        assertThat(BufferKind.bytes(AoeCodec.toFrame(AtaMessage.identify(identify.header()))))
                .as("the factory builds the frame Linux sends")
                .isEqualTo(SampleFrames.frame(6));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void readExtRequestAndItsDataResponse(BufferKind kind) throws Exception {
        AtaMessage read = sample(10, kind, AtaMessage.class);
        AtaMessage data = sample(11, kind, AtaMessage.class);

        assertThat(read.opcode()).contains(AtaOpcode.READ_EXT);
        assertThat(read.isExtended()).isTrue();
        assertThat(read.isWrite()).isFalse();
        assertThat(read.sectorCount()).isEqualTo(2);
        assertThat(read.lba()).isZero();
        assertThat(BufferKind.bytes(AoeCodec.toFrame(AtaMessage.read(read.header(), 0, 2))))
                .isEqualTo(SampleFrames.frame(10));
        assertThat(data.header().response()).isTrue();
        assertThat(data.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(data.sectorCount()).as("sectors left").isZero();
        assertThat(data.data().get(0) & 0xFF).isEqualTo(0xef);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void writeExtLbaIsLittleEndian(BufferKind kind) throws Exception {
        AtaMessage write = sample(26, kind, AtaMessage.class);
        AtaMessage done = sample(27, kind, AtaMessage.class);

        assertThat(write.aflags()).isEqualTo(AtaFlags.EXTENDED | AtaFlags.WRITE);
        assertThat(write.opcode()).contains(AtaOpcode.WRITE_EXT);
        assertThat(write.lba()).as("bytes 64 00 00 00 00 00").isEqualTo(100);
        assertThat(write.header().tag()).isEqualTo(0xf80c000a);
        assertThat(done.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(done.lba()).as("vblade echoes the LBA").isEqualTo(100);
        assertThat(done.dataLength()).as("a 60-byte reply echoes 24 data bytes").isEqualTo(24);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void largeLbasUseAllSixBytesLittleEndian(BufferKind kind) throws Exception {
        // step3-ata #67: READ EXT at lba bytes ff ff 01 00 00 00, past the end: IDNF in #68.
        AtaMessage read = captured("step3-ata.pcap", 67, kind, AtaMessage.class);
        AtaMessage idnf = captured("step3-ata.pcap", 68, kind, AtaMessage.class);

        assertThat(read.lba()).isEqualTo(0x01FFFFL);
        assertThat(idnf.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThat(idnf.errFeature()).isEqualTo(AtaErrorBits.IDNF);
        assertThat(idnf.sectorCount()).as("count unchanged on IDNF").isEqualTo(2);
        assertThat(idnf.dataLength()).as("36-byte reply, unpadded").isZero();
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void configErrorResponseKeepsTheStoredString(BufferKind kind) throws Exception {
        ConfigMessage error = sample(61, kind, ConfigMessage.class);

        assertThat(error.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
        assertThat(error.ccmd()).isEqualTo(5);
        assertThat(error.subcommand()).isEmpty();
        assertThat(error.configString()).asString().isEqualTo("hello");
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void ataBadArgumentIsAnAoeError(BufferKind kind) throws Exception {
        AtaMessage error = sample(71, kind, AtaMessage.class);

        assertThat(error.header().error()).isTrue();
        assertThat(error.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
        assertThat(error.sectorCount()).isEqualTo(3);
        assertThat(error.cmdStatus()).as("the command byte is echoed").isEqualTo(0x24);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void unknownCommandIsEchoedWithErrorOne(BufferKind kind) throws Exception {
        UnknownCommandMessage echo = sample(77, kind, UnknownCommandMessage.class);

        assertThat(echo.header().command()).isEqualTo(4);
        assertThat(echo.header().aoeCommand()).isEmpty();
        assertThat(echo.header().aoeError()).contains(AoeError.UNRECOGNIZED_COMMAND);
        assertThat(echo.isVendor()).isFalse();
        assertThat(echo.body().remaining()).isEqualTo(36);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void reserveReadAndItsEmptyList(BufferKind kind) throws Exception {
        ReserveMessage read = sample(80, kind, ReserveMessage.class);
        ReserveMessage list = sample(81, kind, ReserveMessage.class);

        assertThat(read.reserveCommand()).contains(ReserveCommand.READ);
        assertThat(read.macs()).isEmpty();
        assertThat(list.header().response()).isTrue();
        assertThat(list.macs()).isEmpty();
        assertThat(AoeCodec.encodedLength(list)).isEqualTo(26);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void reservedTargetAnswersSetWithErrorSixAndTheList(BufferKind kind) throws Exception {
        ReserveMessage refused = sample(93, kind, ReserveMessage.class);

        assertThat(refused.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        assertThat(refused.reserveCommand()).contains(ReserveCommand.SET);
        assertThat(refused.macs()).containsExactly(MASKED_IN);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void reserveCountCoversEthernetPadding(BufferKind kind) throws Exception {
        // step3-rr #50: nmacs 5 with one MAC in a padded 60-byte frame; vblade took 4 zero MACs.
        ReserveMessage set = captured("step3-rr.pcap", 50, kind, ReserveMessage.class);
        ReserveMessage reply = captured("step3-rr.pcap", 51, kind, ReserveMessage.class);

        assertThat(set.macs()).containsExactly(
                INITIATOR, MacAddress.ZERO, MacAddress.ZERO, MacAddress.ZERO, MacAddress.ZERO);
        assertThat(reply.macs()).isEqualTo(set.macs());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void badReserveCommandGetsBadArgument(BufferKind kind) throws Exception {
        ReserveMessage request = captured("step3-rr.pcap", 46, kind, ReserveMessage.class);
        ReserveMessage error = captured("step3-rr.pcap", 47, kind, ReserveMessage.class);

        assertThat(request.rcmd()).isEqualTo(3);
        assertThat(request.reserveCommand()).isEmpty();
        assertThat(error.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void reservedTargetRefusesOthersAtaWithErrorSix(BufferKind kind) throws Exception {
        AtaMessage refused = captured("step3-rr.pcap", 13, kind, AtaMessage.class);

        assertThat(refused.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        assertThat(refused.opcode()).contains(AtaOpcode.READ_EXT);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void maskResponsesListMacsAsNopDirectives(BufferKind kind) throws Exception {
        MacMaskMessage empty = sample(2155, kind, MacMaskMessage.class);
        MacMaskMessage edited = sample(2159, kind, MacMaskMessage.class);

        assertThat(empty.maskCommand()).contains(MaskCommand.READ);
        assertThat(empty.maskError()).contains(MaskError.OK);
        assertThat(empty.directives()).isEmpty();
        assertThat(edited.maskCommand()).contains(MaskCommand.EDIT);
        assertThat(edited.directives()).containsExactly(MaskDirective.of(MaskDirectiveCommand.NOP, MASKED_IN));
        assertThat(edited.macs()).containsExactly(MASKED_IN);
        assertThat(edited).isEqualTo(MacMaskMessage.list(edited.header(), MaskCommand.EDIT, List.of(MASKED_IN)));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void identifyResponseCarriesVbladesPage(BufferKind kind) throws Exception {
        AtaMessage reply = captured("step1.pcap", 6, kind, AtaMessage.class);

        assertThat(reply.cmdStatus()).isEqualTo(AtaStatus.OK);
        assertThat(reply.dataLength()).isEqualTo(512);
        IdentifyPage page = IdentifyPage.parse(reply.data());
        assertThat(page.model()).isEqualTo("Coraid EtherDrive vblade");
        assertThat(page.firmware()).isEqualTo("V25");
        assertThat(page.serial()).isEqualTo("1.1:vm");
        assertThat(page.lba48()).isTrue();
        assertThat(page.sectors()).isEqualTo(131072);
    }
}
