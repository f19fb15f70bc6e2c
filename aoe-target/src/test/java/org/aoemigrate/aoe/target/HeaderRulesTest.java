package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeFrame;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MacMaskMessage;
import org.aoemigrate.aoe.wire.MaskCommand;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.aoe.wire.ReserveMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The common-header rules where vblade is lax (aoe-vblade-probe.md section 4, "Addressing"). */
class HeaderRulesTest {

    @TempDir
    Path dir;
    private Path image;
    private HubTarget target;

    @BeforeEach
    void start() throws IOException {
        image = HubTarget.image(dir, "disk.img", 8, 1);
        target = HubTarget.start(ExportStateStore.inMemory(), ExportSpec.builder(new ExportAddress(1, 1), image, "t0").build());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private AoeHeader header(MacAddress destination, int version, int shelf, int slot, AoeCommand command) {
        return new AoeHeader(destination, HubTarget.INITIATOR, version, false, false, 0, shelf, slot, command.code(), target.tag());
    }

    @Test
    void framesWithTheResponseFlagAreIgnored() throws IOException {
        AoeHeader h = new AoeHeader(HubTarget.targetMac(0), HubTarget.INITIATOR, 1, true, false, 0, 1, 1,
                AoeCommand.QUERY_CONFIG.code(), target.tag());
        target.assertSilent(ConfigMessage.query(h, ConfigSubcommand.READ, null));
        assertThat(target.server.counters().get(TargetEvent.IGNORED_RESPONSE)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 15})
    void anotherVersionGetsError5(int version) throws IOException {
        ByteBuffer reply = target.exchangeRaw(AoeCodec.toFrame(
                ConfigMessage.query(header(HubTarget.targetMac(0), version, 1, 1, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null)));
        assertThat(reply.get(AoeConstants.VERSION_FLAGS) & 0xFF).isEqualTo(0x10 | AoeConstants.FLAG_RESPONSE | AoeConstants.FLAG_ERROR);
        assertThat(reply.get(AoeConstants.ERROR)).isEqualTo((byte) AoeError.UNSUPPORTED_VERSION.code());
    }

    @ParameterizedTest
    @CsvSource({"65535,255", "65535,1", "1,255"})
    void broadcastAddressedAtaIsNeverExecuted(int shelf, int slot) throws IOException {
        byte[] before = Files.readAllBytes(image);
        target.assertSilent(AtaMessage.write(header(MacAddress.BROADCAST, 1, shelf, slot, AoeCommand.ATA), 0, ByteBuffer.allocate(512)));
        target.assertSilent(AtaMessage.read(header(HubTarget.targetMac(0), 1, shelf, slot, AoeCommand.ATA), 0, 1));
        target.assertSilent(MacMaskMessage.list(header(MacAddress.BROADCAST, 1, shelf, slot, AoeCommand.MAC_MASK), MaskCommand.READ, java.util.List.of()));
        target.assertSilent(ReserveMessage.of(header(MacAddress.BROADCAST, 1, shelf, slot, AoeCommand.RESERVE_RELEASE),
                ReserveCommand.FORCE_SET, java.util.List.of(HubTarget.INITIATOR)));
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
        assertThat(target.server.exports().get(0).state().reservations().isReserved()).isFalse();

        ConfigMessage reply = target.exchange(ConfigMessage.query(
                header(MacAddress.BROADCAST, 1, shelf, slot, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null));
        assertThat(reply.header().shelf()).isEqualTo(1);
        assertThat(reply.header().slot()).isEqualTo(1);
    }

    @Test
    void otherAddressesAndOtherStationsFramesAreIgnored() throws IOException {
        target.assertSilent(ConfigMessage.query(header(HubTarget.targetMac(0), 1, 1, 2, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null));
        target.assertSilent(ConfigMessage.query(header(HubTarget.targetMac(0), 1, 2, 0xFF, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null));
        ByteBuffer toSomeoneElse = AoeCodec.toFrame(
                ConfigMessage.query(header(MacAddress.parse("02:00:00:00:00:99"), 1, 1, 1, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null));
        // the hub would not deliver it; hand it to the handler as a promiscuous socket would
        ServedLink link = target.server.links().get(0);
        java.util.List<ByteBuffer> replies = new java.util.ArrayList<>();
        target.server.handler().handle(link, toSomeoneElse, replies::add);
        assertThat(replies).isEmpty();
        assertThat(target.server.counters().get(TargetEvent.IGNORED_OTHER_DESTINATION)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 15, 0xF0, 0xFF})
    void unknownCommandsGetError1WithoutEchoingTheirBody(int command) throws Exception {
        ByteBuffer frame = ByteBuffer.allocate(200);
        frame.putShort(AoeConstants.ETHERTYPE, (short) AoeConstants.ETHERTYPE_AOE);
        AoeFrame f = AoeFrame.wrap(frame);
        f.setDestination(HubTarget.targetMac(0));
        f.setSource(HubTarget.INITIATOR);
        f.setVersion(1);
        f.setShelf(1);
        f.setSlot(1);
        f.setCommand(command);
        f.setTag(target.tag());
        ByteBuffer reply = target.exchangeRaw(frame);
        assertThat(reply.remaining()).isEqualTo(AoeConstants.MIN_FRAME);
        assertThat(reply.get(AoeConstants.ERROR)).isEqualTo((byte) AoeError.UNRECOGNIZED_COMMAND.code());
        assertThat(reply.get(AoeConstants.COMMAND) & 0xFF).isEqualTo(command);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 0xFFFFFFFF, 0x7FFFFFFF})
    void tagsAreEchoedAsSent(int tag) throws IOException {
        AoeHeader h = new AoeHeader(HubTarget.targetMac(0), HubTarget.INITIATOR, 1, false, false, 0, 1, 1, AoeCommand.ATA.code(), tag);
        ByteBuffer reply = target.exchangeRaw(AoeCodec.toFrame(AtaMessage.read(h, 0, 1)));
        assertThat(reply.getInt(AoeConstants.TAG)).isEqualTo(tag);
    }

    @Test
    void requestErrorBitsDoNotLeakIntoReplies() throws IOException {
        AoeHeader h = new AoeHeader(HubTarget.targetMac(0), HubTarget.INITIATOR, 1, false, true, 3, 1, 1,
                AoeCommand.QUERY_CONFIG.code(), target.tag());
        ByteBuffer reply = target.exchangeRaw(AoeCodec.toFrame(ConfigMessage.query(h, ConfigSubcommand.READ, null)));
        assertThat(reply.get(AoeConstants.VERSION_FLAGS) & 0xFF).isEqualTo(0x18);
        assertThat(reply.get(AoeConstants.ERROR)).isZero();
    }

    @Test
    void framesTooShortForTheirCommandAreIgnored() throws IOException {
        ByteBuffer ata = AoeCodec.toFrame(AtaMessage.read(header(HubTarget.targetMac(0), 1, 1, 1, AoeCommand.ATA), 0, 1));
        ata.limit(35);
        target.assertSilent(ata);
        ByteBuffer config = AoeCodec.toFrame(ConfigMessage.query(header(HubTarget.targetMac(0), 1, 1, 1, AoeCommand.QUERY_CONFIG),
                ConfigSubcommand.READ, null));
        config.limit(31);
        target.assertSilent(config);
        assertThat(target.server.counters().get(TargetEvent.IGNORED_MALFORMED)).isEqualTo(2);
    }
}
