package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AoeHeaderTest {

    static final MacAddress TARGET = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress HOST = MacAddress.parse("02:00:00:00:00:02");

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void encodesEveryFieldBigEndianAtItsOffset(BufferKind kind) throws Exception {
        AoeHeader header = new AoeHeader(TARGET, HOST, 1, true, true, 6, 0x1234, 0x56, 3, 0x89ABCDEF);
        ByteBuffer frame = kind.allocate(AoeConstants.HEADER_LENGTH);
        header.encode(frame, frame.position());

        assertThat(BufferKind.bytes(frame)).isEqualTo(SampleFrames.hex(
                "020000000001 020000000002 88a2 1c 06 1234 56 03 89abcdef"));
        assertThat(AoeHeader.decode(frame)).isEqualTo(header);
    }

    @ParameterizedTest
    @CsvSource({"0x10, false, false", "0x18, true, false", "0x14, false, true", "0x1c, true, true"})
    void flagsAreTheLowNibbleOfByte14(String verFlags, boolean response, boolean error) throws Exception {
        byte[] frame = SampleFrames.hex("020000000001 020000000002 88a2 00 00 0001 01 00 00000000");
        frame[AoeConstants.VERSION_FLAGS] = (byte) Integer.decode(verFlags).intValue();

        AoeHeader header = AoeHeader.decode(ByteBuffer.wrap(frame));

        assertThat(header.version()).isEqualTo(1);
        assertThat(header.response()).isEqualTo(response);
        assertThat(header.error()).isEqualTo(error);
    }

    @Test
    void rejectsShortFramesWithTheirLength() {
        assertThatThrownBy(() -> AoeHeader.decode(ByteBuffer.allocate(23)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining("23 bytes")
                .hasMessageContaining("AoE header");
    }

    @Test
    void rejectsOtherEtherTypesAtTheirOffset() {
        ByteBuffer ipv4 = ByteBuffer.allocate(60).putShort(12, (short) 0x0800);

        assertThatThrownBy(() -> AoeHeader.decode(ipv4))
                .isInstanceOfSatisfying(AoeProtocolException.class, e -> assertThat(e.offset()).isEqualTo(12))
                .hasMessageContaining("0x0800");
    }

    @Test
    void replyGoesBackFromTheTargetsRealAddressWithTheSameTag() {
        AoeHeader broadcast = AoeHeader.request(MacAddress.BROADCAST, HOST, 0xFFFF, 0xFF, AoeCommand.QUERY_CONFIG, 42);

        AoeHeader reply = broadcast.reply(TARGET, 7, 3);

        assertThat(reply).isEqualTo(new AoeHeader(HOST, TARGET, 1, true, false, 0, 7, 3, 1, 42));
        assertThat(reply.withError(AoeError.CONFIG_STRING_PRESENT).aoeError()).contains(AoeError.CONFIG_STRING_PRESENT);
        assertThat(reply.aoeError()).as("no E flag, no error").isEmpty();
    }

    @ParameterizedTest(name = "request to {0}.{1} reaches 7.3: {2}")
    @CsvSource({"7, 3, true", "65535, 3, true", "7, 255, true", "65535, 255, true", "7, 4, false", "8, 3, false",
        "65535, 4, false", "8, 255, false"})
    void addressesHonoursBothWildcards(int shelf, int slot, boolean reaches) {
        AoeHeader request = AoeHeader.request(TARGET, HOST, shelf, slot, AoeCommand.ATA, 1);

        assertThat(request.addresses(7, 3)).isEqualTo(reaches);
    }

    @Test
    void refusesValuesThatDoNotFitTheirField() {
        assertThatThrownBy(() -> new AoeHeader(TARGET, HOST, 16, false, false, 0, 1, 1, 0, 0))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new AoeHeader(TARGET, HOST, 1, false, false, 0, 0x10000, 1, 0, 0))
                .hasMessageContaining("shelf");
        assertThatThrownBy(() -> new AoeHeader(TARGET, HOST, 1, false, false, 0, 1, 256, 0, 0))
                .hasMessageContaining("slot");
        assertThatThrownBy(() -> new AoeHeader(TARGET, HOST, 1, false, false, 0, 1, 1, -1, 0))
                .hasMessageContaining("command");
    }
}
