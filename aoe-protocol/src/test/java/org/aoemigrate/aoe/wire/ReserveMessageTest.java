package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeHeaderTest.HOST;
import static org.aoemigrate.aoe.wire.AoeHeaderTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReserveMessageTest {

    private static final AoeHeader REQUEST = AoeHeader.request(TARGET, HOST, 1, 1, AoeCommand.RESERVE_RELEASE, 5);

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void macsFollowTheCountSixBytesEach(BufferKind kind) throws Exception {
        ReserveMessage set = ReserveMessage.of(REQUEST, ReserveCommand.SET, List.of(HOST, TARGET));
        ByteBuffer frame = kind.allocate(60);
        int start = frame.position();

        AoeCodec.encode(set, frame);

        frame.flip().position(start);
        assertThat(java.util.Arrays.copyOfRange(BufferKind.bytes(frame), 24, 38))
                .isEqualTo(SampleFrames.hex("01 02 020000000002 020000000001"));
        assertThat(AoeCodec.decode(frame)).isEqualTo(set);
    }

    @Test
    void releaseIsAForceSetOfNothing() throws Exception {
        ReserveMessage release = ReserveMessage.of(REQUEST, ReserveCommand.FORCE_SET, List.of());

        ReserveMessage decoded = (ReserveMessage) BufferKind.HEAP.roundTrip(release);

        assertThat(decoded.reserveCommand()).contains(ReserveCommand.FORCE_SET);
        assertThat(decoded.macs()).isEmpty();
        assertThat(AoeCodec.encodedLength(release)).isEqualTo(26);
    }

    @Test
    void aCountPastTheFrameIsRefused() {
        ByteBuffer frame = ByteBuffer.allocate(60);
        REQUEST.encode(frame, 0);
        frame.put(AoeConstants.RESERVE_NMACS, (byte) 6); // 26 + 36 > 60

        assertThatThrownBy(() -> AoeCodec.decode(frame))
                .isInstanceOfSatisfying(AoeProtocolException.class, e -> assertThat(e.offset()).isEqualTo(25))
                .hasMessageContaining("6 reserve MACs run past the end of a 60-byte frame");
    }

    @Test
    void the248MacsOfAFullFrameRoundTrip() throws Exception {
        List<MacAddress> macs = new ArrayList<>();
        for (int i = 0; i < 248; i++) {
            macs.add(new MacAddress(0x0200_0000_1000L + i));
        }
        ReserveMessage list = ReserveMessage.of(REQUEST.reply(TARGET, 1, 1), ReserveCommand.READ, macs);

        assertThat(AoeCodec.encodedLength(list)).isEqualTo(1514);
        assertThat(BufferKind.DIRECT_AT_OFFSET.roundTrip(list)).isEqualTo(list);
    }

    @Test
    void moreThan255MacsCannotBeSent() {
        List<MacAddress> macs = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            macs.add(new MacAddress(i));
        }
        assertThatThrownBy(() -> ReserveMessage.of(REQUEST, ReserveCommand.SET, macs)).hasMessageContaining("number of MACs");
    }
}
