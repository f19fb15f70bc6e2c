package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeMessage;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.AtaOpcode;
import org.aoemigrate.aoe.wire.AtaStatus;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.aoe.wire.ReserveMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** r11 3.4 between two initiators: A (the rig's initiator port) and B (a second port). */
class ReserveReleaseTest {

    private static final MacAddress A = HubTarget.INITIATOR;
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    @TempDir
    Path dir;
    private Path image;
    private ExportSpec spec;
    private HubTarget target;
    private MemoryHubPort portB;

    @BeforeEach
    void start() throws IOException {
        image = HubTarget.image(dir, "disk.img", 8, 1);
        spec = ExportSpec.builder(new ExportAddress(1, 2), image, "t0").build();
        target = HubTarget.start(ExportStateStore.inDirectory(dir.resolve("state")), spec);
        portB = target.hub.port("B", B, 1500);
    }

    @AfterEach
    void stop() {
        portB.close();
        target.close();
    }

    private AoeHeader from(MacAddress who, AoeCommand command) {
        return AoeHeader.request(HubTarget.targetMac(0), who, 1, 2, command, target.tag());
    }

    @SuppressWarnings("unchecked")
    private <M extends AoeMessage> M exchangeB(AoeMessage request) throws IOException, AoeProtocolException {
        portB.send(AoeCodec.toFrame(request));
        ByteBuffer b = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        assertThat(portB.receive(b, 2000)).as("a reply to B").isTrue();
        assertThat(b.remaining()).isGreaterThanOrEqualTo(AoeConstants.MIN_FRAME);
        return (M) AoeCodec.decode(b);
    }

    private ReserveMessage reserve(MacAddress who, ReserveCommand command, MacAddress... holders) throws Exception {
        ReserveMessage m = ReserveMessage.of(from(who, AoeCommand.RESERVE_RELEASE), command, List.of(holders));
        return who.equals(A) ? target.exchange(m) : exchangeB(m);
    }

    @Test
    void reservationRefusesOthersAtaExceptIdentify() throws Exception {
        ReserveMessage set = reserve(A, ReserveCommand.SET, A);
        assertThat(set.header().error()).isFalse();
        assertThat(set.macs()).containsExactly(A);

        byte[] before = Files.readAllBytes(image);
        AtaMessage write = exchangeB(AtaMessage.write(from(B, AoeCommand.ATA), 0, ByteBuffer.allocate(512)));
        assertThat(write.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
        AtaMessage read = exchangeB(AtaMessage.read(from(B, AoeCommand.ATA), 0, 1));
        assertThat(read.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        AtaMessage flush = exchangeB(AtaMessage.nonData(from(B, AoeCommand.ATA), AtaOpcode.FLUSH_CACHE));
        assertThat(flush.header().aoeError()).contains(AoeError.TARGET_RESERVED);

        AtaMessage identify = exchangeB(AtaMessage.identify(from(B, AoeCommand.ATA)));
        assertThat(identify.header().error()).isFalse();
        assertThat(identify.dataLength()).isEqualTo(512);
        ConfigMessage config = exchangeB(ConfigMessage.query(from(B, AoeCommand.QUERY_CONFIG), ConfigSubcommand.READ, null));
        assertThat(config.header().error()).isFalse();

        AtaMessage mine = target.exchange(AtaMessage.write(from(A, AoeCommand.ATA), 0, ByteBuffer.allocate(512)));
        assertThat(mine.cmdStatus()).isEqualTo(AtaStatus.OK);
    }

    @Test
    void setByANonHolderIsRefusedWithTheCurrentListForceSetIsNot() throws Exception {
        reserve(A, ReserveCommand.SET, A);
        ReserveMessage refused = reserve(B, ReserveCommand.SET, B);
        assertThat(refused.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        assertThat(refused.macs()).containsExactly(A);

        ReserveMessage moved = reserve(B, ReserveCommand.FORCE_SET, A, B);
        assertThat(moved.header().error()).isFalse();
        assertThat(moved.macs()).containsExactly(A, B);
        assertThat(reserve(B, ReserveCommand.SET, B).macs()).as("a holder may set").containsExactly(B);

        ReserveMessage released = reserve(A, ReserveCommand.FORCE_SET);
        assertThat(released.macs()).isEmpty();
        assertThat(reserve(B, ReserveCommand.READ).macs()).isEmpty();
        AtaMessage read = exchangeB(AtaMessage.read(from(B, AoeCommand.ATA), 0, 1));
        assertThat(read.header().error()).isFalse();
    }

    @Test
    void undefinedCommandAndMacsPastTheFrameAreBadArguments() throws Exception {
        ReserveMessage three = new ReserveMessage(from(A, AoeCommand.RESERVE_RELEASE), 3, List.of());
        assertThat(((ReserveMessage) target.exchange(three)).header().aoeError()).contains(AoeError.BAD_ARGUMENT);

        ByteBuffer frame = AoeCodec.toFrame(ReserveMessage.of(from(A, AoeCommand.RESERVE_RELEASE), ReserveCommand.SET, List.of(A)));
        frame.put(AoeConstants.RESERVE_NMACS, (byte) 50);
        ByteBuffer reply = target.exchangeRaw(frame);
        assertThat(reply.get(AoeConstants.ERROR)).isEqualTo((byte) AoeError.BAD_ARGUMENT.code());
        assertThat(reserve(A, ReserveCommand.READ).macs()).isEmpty();
    }

    @Test
    void reservationIsOnDiskBeforeItsReplyArrives() throws Exception {
        reserve(A, ReserveCommand.SET, A);
        assertThat(Files.readString(dir.resolve("state/e1.2.json"))).contains("\"reservation\" : [ \"" + A + "\" ]");
    }

    @Test
    void reservationSurvivesARestart() throws Exception {
        reserve(A, ReserveCommand.SET, A);
        target.close();
        target = HubTarget.start(target.hub, target.initiator, ExportStateStore.inDirectory(dir.resolve("state")),
                Duration.ZERO, spec);
        ByteBuffer advert = ByteBuffer.allocate(2048);
        assertThat(portB.receive(advert, 2000)).as("the restarted target's advert").isTrue();
        AtaMessage read = exchangeB(AtaMessage.read(from(B, AoeCommand.ATA), 0, 1));
        assertThat(read.header().aoeError()).contains(AoeError.TARGET_RESERVED);
        assertThat(reserve(A, ReserveCommand.READ).macs()).containsExactly(A);
    }
}
