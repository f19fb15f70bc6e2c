package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AtaMessage;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MacMaskMessage;
import org.aoemigrate.aoe.wire.MaskCommand;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskDirectiveCommand;
import org.aoemigrate.aoe.wire.MaskError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MacMaskTest {

    private static final MacAddress OTHER = MacAddress.parse("02:00:00:00:00:0b");

    @TempDir
    Path dir;
    private ExportSpec spec;
    private HubTarget target;

    @BeforeEach
    void start() throws IOException {
        spec = ExportSpec.builder(new ExportAddress(1, 1), HubTarget.image(dir, "disk.img", 8, 1), "t0").build();
        target = HubTarget.start(ExportStateStore.inDirectory(dir.resolve("state")), spec);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private static MacAddress mac(int i) {
        return new MacAddress(0x0600_0000_0000L + i);
    }

    private MacMaskMessage edit(MaskDirective... directives) throws IOException {
        return target.exchange(MacMaskMessage.edit(target.header(1, 1, AoeCommand.MAC_MASK), List.of(directives)));
    }

    private MacMaskMessage read() throws IOException {
        return target.exchange(MacMaskMessage.list(target.header(1, 1, AoeCommand.MAC_MASK), MaskCommand.READ, List.of()));
    }

    private static MaskDirective add(MacAddress m) {
        return MaskDirective.of(MaskDirectiveCommand.ADD, m);
    }

    private static MaskDirective delete(MacAddress m) {
        return MaskDirective.of(MaskDirectiveCommand.DELETE, m);
    }

    @Test
    void editsReturnTheListAndReadsAgree() throws IOException {
        MacMaskMessage r = edit(add(HubTarget.INITIATOR), add(mac(1)), add(mac(2)), add(mac(3)));
        assertThat(r.maskError()).contains(MaskError.OK);
        assertThat(r.macs()).containsExactly(HubTarget.INITIATOR, mac(1), mac(2), mac(3));
        assertThat(r.directives()).allMatch(d -> d.command() == MaskDirectiveCommand.NOP.code());
        // vblade 25 aborts on this delete (list of 4) and corrupts the list on the adds above
        assertThat(edit(delete(mac(2))).macs()).containsExactly(HubTarget.INITIATOR, mac(1), mac(3));
        assertThat(read().macs()).containsExactly(HubTarget.INITIATOR, mac(1), mac(3));
    }

    @Test
    void nonEmptyListSilencesEveryoneElseForEveryCommand() throws IOException {
        edit(add(HubTarget.INITIATOR));
        for (AoeCommand command : AoeCommand.values()) {
            AoeHeader from = new AoeHeader(HubTarget.targetMac(0), OTHER, 1, false, false, 0, 1, 1, command.code(), target.tag());
            ByteBuffer frame = switch (command) {
                case ATA -> AoeCodec.toFrame(AtaMessage.read(from, 0, 1));
                case QUERY_CONFIG -> AoeCodec.toFrame(ConfigMessage.query(from, ConfigSubcommand.READ, null));
                case MAC_MASK -> AoeCodec.toFrame(MacMaskMessage.edit(from, List.of(add(OTHER))));
                case RESERVE_RELEASE -> AoeCodec.toFrame(
                        org.aoemigrate.aoe.wire.ReserveMessage.of(from, org.aoemigrate.aoe.wire.ReserveCommand.READ, List.of()));
            };
            target.assertSilent(frame);
        }
        assertThat(read().macs()).containsExactly(HubTarget.INITIATOR);
        assertThat(target.server.counters().get(TargetEvent.IGNORED_MASKED)).isEqualTo(4);
    }

    @Test
    void badDirectiveStopsAtItsIndexKeepingEarlierOnes() throws IOException {
        MacMaskMessage r = edit(add(HubTarget.INITIATOR), new MaskDirective(7, mac(2)), add(mac(3)));
        assertThat(r.maskError()).contains(MaskError.BAD_DIRECTIVE);
        assertThat(r.directiveCount()).isEqualTo(1);
        assertThat(r.directives()).isEmpty();
        assertThat(read().macs()).containsExactly(HubTarget.INITIATOR);
    }

    @Test
    void listFullAtWhatOneFrameCanList() throws IOException {
        int capacity = MaskList.capacity(1500);
        List<MaskDirective> adds = new ArrayList<>();
        adds.add(add(HubTarget.INITIATOR));
        for (int i = 1; adds.size() < capacity; i++) {
            adds.add(add(mac(i)));
        }
        // one request carries at most (1500 - 14) / 8 directives, so fill in two
        assertThat(edit(adds.subList(0, 150).toArray(MaskDirective[]::new)).maskError()).contains(MaskError.OK);
        MacMaskMessage full = edit(adds.subList(150, capacity).toArray(MaskDirective[]::new));
        assertThat(full.macs()).hasSize(capacity);
        MacMaskMessage over = edit(add(mac(9999)), add(mac(10000)));
        assertThat(over.maskError()).contains(MaskError.LIST_FULL);
        assertThat(over.directiveCount()).isZero();
        MacMaskMessage listed = read();
        assertThat(listed.macs()).hasSize(capacity).doesNotContain(mac(9999));
        assertThat(AoeCodec.encodedLength(listed)).isLessThanOrEqualTo(1500 + 14);
    }

    @Test
    void undefinedMaskCommandIsABadArgument() throws IOException {
        MacMaskMessage m = new MacMaskMessage(target.header(1, 1, AoeCommand.MAC_MASK), 2, 0, 0, List.of());
        MacMaskMessage reply = target.exchange(m);
        assertThat(reply.header().aoeError()).contains(AoeError.BAD_ARGUMENT);
    }

    @Test
    void directiveCountPastTheFrameIsABadArgument() throws IOException {
        ByteBuffer frame = AoeCodec.toFrame(MacMaskMessage.edit(target.header(1, 1, AoeCommand.MAC_MASK), List.of(add(mac(1)))));
        frame.put(AoeConstants.MASK_DIRECTIVE_COUNT, (byte) 200);
        ByteBuffer reply = target.exchangeRaw(frame);
        assertThat(reply.get(AoeConstants.ERROR)).isEqualTo((byte) AoeError.BAD_ARGUMENT.code());
        assertThat(read().macs()).isEmpty();
    }

    @Test
    void listSurvivesARestartAndTheAdvertGoesToEachListedMac() throws IOException {
        MemoryHubPort listed = target.hub.port("listed", mac(1), 1500);
        edit(add(HubTarget.INITIATOR), add(mac(1)));
        target.close();
        target = HubTarget.start(target.hub, target.initiator, ExportStateStore.inDirectory(dir.resolve("state")),
                Duration.ZERO, spec);
        assertThat(read().macs()).containsExactly(HubTarget.INITIATOR, mac(1));
        ByteBuffer advert = ByteBuffer.allocate(2048);
        assertThat(listed.receive(advert, 2000)).isTrue();
        assertThat(MacAddress.read(advert, AoeConstants.DESTINATION)).isEqualTo(mac(1));
        listed.close();
    }

    @Test
    void initialMasksSeedANewExport(@TempDir Path other) throws IOException {
        ExportSpec seeded = ExportSpec.builder(new ExportAddress(2, 2), HubTarget.image(other, "s.img", 8, 1), "t0")
                .initialMasks(List.of(HubTarget.INITIATOR, mac(5))).build();
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), seeded)) {
            MacMaskMessage r = t.exchange(MacMaskMessage.list(t.header(2, 2, AoeCommand.MAC_MASK), MaskCommand.READ, List.of()));
            assertThat(r.macs()).containsExactly(HubTarget.INITIATOR, mac(5));
        }
    }
}
