package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryConfigTest {

    private static final ExportAddress E3_4 = new ExportAddress(3, 4);

    @TempDir
    Path dir;
    private ExportSpec spec;
    private HubTarget target;

    @BeforeEach
    void start() throws IOException {
        spec = ExportSpec.builder(E3_4, HubTarget.image(dir, "disk.img", 8, 1), "t0").bufferCount(32).build();
        target = HubTarget.start(ExportStateStore.inDirectory(dir.resolve("state")), spec);
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private ConfigMessage query(ConfigSubcommand sub, String text) {
        return ConfigMessage.query(target.header(3, 4, AoeCommand.QUERY_CONFIG), sub,
                text.getBytes(StandardCharsets.US_ASCII));
    }

    private ConfigMessage ask(ConfigSubcommand sub, String text) throws IOException {
        return target.exchange(query(sub, text));
    }

    private static String string(ConfigMessage m) {
        return new String(m.configString(), StandardCharsets.US_ASCII);
    }

    @Test
    void readReportsHonestFiguresAndVersionOne() throws IOException {
        ConfigMessage reply = ask(ConfigSubcommand.READ, "ignored");
        assertThat(reply.header().response()).isTrue();
        assertThat(reply.header().version()).isEqualTo(1);
        assertThat(reply.aoeVersion()).isEqualTo(1);
        assertThat(reply.ccmd()).isEqualTo(ConfigSubcommand.READ.code());
        assertThat(reply.bufferCount()).as("min(spec 32, hub queue 64)").isEqualTo(32);
        assertThat(reply.sectorsPerFrame()).isEqualTo(2);
        assertThat(reply.firmwareVersion()).isEqualTo(TargetVersion.FIRMWARE_CODE);
        assertThat(reply.configStringLength()).isZero();
        assertThat(reply.header().shelf()).isEqualTo(3);
        assertThat(reply.header().slot()).isEqualTo(4);
    }

    @Test
    void bufferCountNeverExceedsWhatTheLinkQueues(@TempDir Path other) throws IOException {
        ExportSpec greedy = ExportSpec.builder(new ExportAddress(5, 0), HubTarget.image(other, "g.img", 8, 1), "t0")
                .bufferCount(1000).build();
        try (HubTarget t = HubTarget.start(ExportStateStore.inMemory(), greedy)) {
            ConfigMessage reply = t.exchange(ConfigMessage.query(t.header(5, 0, AoeCommand.QUERY_CONFIG),
                    ConfigSubcommand.READ, null));
            assertThat(reply.bufferCount()).isEqualTo(HubTarget.QUEUE_FRAMES);
        }
    }

    @Test
    void claimingFollowsR11() throws IOException {
        target.assertSilent(query(ConfigSubcommand.TEST, "hostA"));
        assertThat(string(ask(ConfigSubcommand.TEST, ""))).isEmpty();
        assertThat(string(ask(ConfigSubcommand.SET, "hostA"))).isEqualTo("hostA");
        assertThat(string(ask(ConfigSubcommand.SET, "hostA"))).as("the same string again").isEqualTo("hostA");

        ConfigMessage refused = ask(ConfigSubcommand.SET, "hostB");
        assertThat(refused.header().aoeError()).contains(AoeError.CONFIG_STRING_PRESENT);
        assertThat(string(refused)).isEqualTo("hostA");

        assertThat(string(ask(ConfigSubcommand.TEST, "hostA"))).isEqualTo("hostA");
        target.assertSilent(query(ConfigSubcommand.TEST, "host"));
        assertThat(string(ask(ConfigSubcommand.TEST_PREFIX, "host"))).isEqualTo("hostA");
        target.assertSilent(query(ConfigSubcommand.TEST_PREFIX, "hostAB"));

        assertThat(string(ask(ConfigSubcommand.FORCE_SET, "hostB"))).isEqualTo("hostB");
        assertThat(string(ask(ConfigSubcommand.FORCE_SET, ""))).isEmpty();
    }

    @Test
    void undefinedSubcommandIsABadArgument() throws IOException {
        for (int ccmd = 5; ccmd <= 15; ccmd++) {
            ConfigMessage m = new ConfigMessage(target.header(3, 4, AoeCommand.QUERY_CONFIG), 0, 0, 0, 1, ccmd, null);
            ConfigMessage reply = target.exchange(m);
            assertThat(reply.header().aoeError()).as("ccmd %d", ccmd).contains(AoeError.BAD_ARGUMENT);
        }
    }

    @Test
    void stringOver1024BytesGetsNoReply() throws IOException {
        ByteBuffer frame = AoeCodec.toFrame(query(ConfigSubcommand.SET, "x".repeat(1024)));
        ByteBuffer longer = ByteBuffer.allocate(frame.remaining() + 1);
        longer.put(frame).put((byte) 'x').flip();
        longer.putShort(AoeConstants.CONFIG_STRING_LENGTH, (short) 1025);
        target.assertSilent(longer);
    }

    @Test
    void lengthPastTheFrameIsABadArgumentAndStoresNothing() throws IOException {
        ByteBuffer frame = AoeCodec.toFrame(query(ConfigSubcommand.SET, "abc"));
        frame.putShort(AoeConstants.CONFIG_STRING_LENGTH, (short) 100); // vblade would store 97 bytes of padding
        ByteBuffer reply = target.exchangeRaw(frame);
        assertThat(reply.get(AoeConstants.ERROR)).isEqualTo((byte) AoeError.BAD_ARGUMENT.code());
        assertThat(string(ask(ConfigSubcommand.READ, ""))).isEmpty();
    }

    @Test
    void stringSurvivesARestart() throws IOException {
        ask(ConfigSubcommand.SET, "vm-disk-7");
        target.close();
        target = HubTarget.start(target.hub, target.initiator, ExportStateStore.inDirectory(dir.resolve("state")),
                java.time.Duration.ZERO, spec);
        assertThat(string(ask(ConfigSubcommand.READ, ""))).isEqualTo("vm-disk-7");
    }

    @Test
    void broadcastQueryIsAnsweredButBroadcastSetIsNot() throws IOException {
        AoeHeader all = new AoeHeader(MacAddress.BROADCAST, HubTarget.INITIATOR, 1, false, false, 0, 0xFFFF, 0xFF,
                AoeCommand.QUERY_CONFIG.code(), target.tag());
        ConfigMessage reply = target.exchange(ConfigMessage.query(all, ConfigSubcommand.READ, null));
        assertThat(reply.header().shelf()).isEqualTo(3);
        assertThat(reply.header().slot()).isEqualTo(4);

        AoeHeader set = new AoeHeader(MacAddress.BROADCAST, HubTarget.INITIATOR, 1, false, false, 0, 0xFFFF, 0xFF,
                AoeCommand.QUERY_CONFIG.code(), target.tag());
        target.assertSilent(ConfigMessage.query(set, ConfigSubcommand.FORCE_SET, "mine".getBytes(StandardCharsets.US_ASCII)));
        assertThat(string(ask(ConfigSubcommand.READ, ""))).isEmpty();
    }
}
