package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeHeaderTest.HOST;
import static org.aoemigrate.aoe.wire.AoeHeaderTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigMessageTest {

    private static final AoeHeader REQUEST = AoeHeader.request(TARGET, HOST, 1, 1, AoeCommand.QUERY_CONFIG, 9);

    private static byte[] binary(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (255 - i); // binary, NULs and high bytes included
        }
        return b;
    }

    /** A Config frame whose length field says {@code declared} while {@code present} bytes follow. */
    private static ByteBuffer frameWithLength(int declared, int present) {
        ByteBuffer frame = ByteBuffer.allocate(AoeConstants.CONFIG_HEADER_LENGTH + present);
        REQUEST.encode(frame, 0);
        frame.putShort(AoeConstants.CONFIG_STRING_LENGTH, (short) declared);
        return frame;
    }

    @ParameterizedTest(name = "{0}-byte string")
    @ValueSource(ints = {0, 1, 27, 28, 1024})
    void configStringsUpTo1024BytesRoundTrip(int length) throws Exception {
        for (BufferKind kind : BufferKind.values()) {
            ConfigMessage set = ConfigMessage.query(REQUEST, ConfigSubcommand.SET, binary(length));

            ConfigMessage decoded = (ConfigMessage) kind.roundTrip(set);

            assertThat(decoded).isEqualTo(set);
            assertThat(decoded.configString()).isEqualTo(binary(length));
            assertThat(decoded.configStringLength()).isEqualTo(length);
            assertThat(AoeCodec.encodedLength(set)).isEqualTo(32 + length);
        }
    }

    @Test
    void aStringOf1025BytesIsRefusedOnDecodeAndOnBuild() {
        assertThatThrownBy(() -> AoeCodec.decode(frameWithLength(1025, 1025)))
                .isInstanceOfSatisfying(AoeProtocolException.class, e -> assertThat(e.offset()).isEqualTo(30))
                .hasMessageContaining("1025");
        assertThatThrownBy(() -> ConfigMessage.query(REQUEST, ConfigSubcommand.SET, new byte[1025]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1025");
    }

    @Test
    void aStringRunningPastTheFrameIsRefused() {
        // vblade checks cslen against the whole frame and stores padding; r11 wants the string.
        assertThatThrownBy(() -> AoeCodec.decode(frameWithLength(10, 3)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining("10 bytes runs past the end of a 35-byte frame");
        assertThat(frameWithLength(3, 3).remaining()).isEqualTo(35);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void versionAndSubcommandShareByte29(BufferKind kind) throws Exception {
        ConfigMessage reply = new ConfigMessage(REQUEST.reply(TARGET, 1, 1), 64, 0x4019, 17, 1, 2, "ab".getBytes());
        ByteBuffer frame = kind.allocate(64);
        int start = frame.position();

        AoeCodec.encode(reply, frame);

        assertThat(frame.get(start + 24)).isZero();
        assertThat(frame.get(start + 25)).isEqualTo((byte) 64);
        assertThat(frame.getShort(start + 26)).isEqualTo((short) 0x4019);
        assertThat(frame.get(start + 28)).isEqualTo((byte) 17);
        assertThat(frame.get(start + 29)).isEqualTo((byte) 0x12);
        assertThat(frame.getShort(start + 30)).isEqualTo((short) 2);
        assertThat(kind.roundTrip(reply)).isEqualTo(reply);
    }

    @Test
    void undefinedSubcommandsSurviveForTheTargetToRefuse() throws Exception {
        for (int ccmd = 5; ccmd <= 15; ccmd++) {
            ConfigMessage odd = new ConfigMessage(REQUEST, 0, 0, 0, 1, ccmd, null);
            ConfigMessage decoded = (ConfigMessage) BufferKind.HEAP.roundTrip(odd);
            assertThat(decoded.ccmd()).isEqualTo(ccmd);
            assertThat(decoded.subcommand()).isEmpty();
        }
    }

    @Test
    void answerEchoesTheSubcommandUnderTheTargetsFigures() {
        ConfigMessage test = ConfigMessage.query(REQUEST, ConfigSubcommand.TEST_PREFIX, "gr".getBytes());

        ConfigMessage answer = test.answer(REQUEST.reply(TARGET, 1, 1), 16, 0x4019, 2, "group-a".getBytes());

        assertThat(answer.subcommand()).contains(ConfigSubcommand.TEST_PREFIX);
        assertThat(answer.aoeVersion()).isEqualTo(1);
        assertThat(answer.configString()).asString().isEqualTo("group-a");
        assertThat(answer.bufferCount()).isEqualTo(16);
    }

    @Test
    void zeroSectorsMeansTwoForOldTargets() {
        assertThat(new ConfigMessage(REQUEST, 16, 1, 0, 1, 0, null).effectiveSectorsPerFrame()).isEqualTo(2);
        assertThat(new ConfigMessage(REQUEST, 16, 1, 17, 1, 0, null).effectiveSectorsPerFrame()).isEqualTo(17);
    }

    @Test
    void theStringCannotBeChangedFromOutside() {
        byte[] mine = "abc".getBytes();
        ConfigMessage message = ConfigMessage.query(REQUEST, ConfigSubcommand.SET, mine);

        mine[0] = 'X';
        message.configString()[1] = 'Y';

        assertThat(message.configString()).asString().isEqualTo("abc");
        assertThat(message).isEqualTo(ConfigMessage.query(REQUEST, ConfigSubcommand.SET, "abc".getBytes()));
        assertThat(message.hashCode())
                .isEqualTo(ConfigMessage.query(REQUEST, ConfigSubcommand.SET, "abc".getBytes()).hashCode());
    }
}
