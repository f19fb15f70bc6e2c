package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeHeaderTest.HOST;
import static org.aoemigrate.aoe.wire.AoeHeaderTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MacMaskMessageTest {

    private static final AoeHeader REQUEST = AoeHeader.request(TARGET, HOST, 1, 1, AoeCommand.MAC_MASK, 5);
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void editDirectivesAreEightBytesEach(BufferKind kind) throws Exception {
        MacMaskMessage edit = MacMaskMessage.edit(REQUEST, List.of(
                MaskDirective.of(MaskDirectiveCommand.ADD, A), MaskDirective.of(MaskDirectiveCommand.DELETE, B)));
        ByteBuffer frame = kind.allocate(60);
        int start = frame.position();

        AoeCodec.encode(edit, frame);

        frame.flip().position(start);
        byte[] bytes = BufferKind.bytes(frame);
        assertThat(java.util.Arrays.copyOfRange(bytes, 24, 44)).isEqualTo(SampleFrames.hex(
                "00 01 00 02  00 01 02000000000a  00 02 02000000000b"));
        assertThat(AoeCodec.decode(frame)).isEqualTo(edit);
    }

    @Test
    void aFailedEditCarriesTheFailingIndexAndNoList() throws Exception {
        // vblade: a bad DCmd gives MError 2, dircount = the index of the bad directive, 28 bytes.
        MacMaskMessage failure = MacMaskMessage.failure(REQUEST.reply(TARGET, 1, 1), MaskError.BAD_DIRECTIVE, 3);

        assertThat(AoeCodec.encodedLength(failure)).isEqualTo(28);
        MacMaskMessage decoded = (MacMaskMessage) BufferKind.HEAP.roundTrip(failure);
        assertThat(decoded).isEqualTo(failure);
        assertThat(decoded.directiveCount()).isEqualTo(3);
        assertThat(decoded.maskError()).contains(MaskError.BAD_DIRECTIVE);
        assertThat(decoded.directives()).isEmpty();
    }

    @Test
    void undefinedDirectiveCommandsSurviveForTheTargetToRefuse() throws Exception {
        MacMaskMessage edit = MacMaskMessage.edit(REQUEST, List.of(new MaskDirective(7, A)));

        MacMaskMessage decoded = (MacMaskMessage) BufferKind.HEAP.roundTrip(edit);

        assertThat(decoded.directives().get(0).command()).isEqualTo(7);
        assertThat(decoded.directives().get(0).directiveCommand()).isEmpty();
    }

    @Test
    void aRequestWithAnMErrorStillCarriesItsDirectives() throws Exception {
        // Only responses report failures; a request's MError is reserved, so its list is read.
        MacMaskMessage odd = new MacMaskMessage(REQUEST, 1, 9, 1, List.of(MaskDirective.of(MaskDirectiveCommand.ADD, A)));

        assertThat(BufferKind.HEAP.roundTrip(odd)).isEqualTo(odd);
    }

    @Test
    void aDirectiveCountPastTheFrameIsRefused() {
        // vblade reads stale buffer here; we stop.
        ByteBuffer frame = ByteBuffer.allocate(60);
        REQUEST.encode(frame, 0);
        frame.put(AoeConstants.MASK_MCMD, (byte) 1).put(AoeConstants.MASK_DIRECTIVE_COUNT, (byte) 5);

        assertThatThrownBy(() -> AoeCodec.decode(frame))
                .isInstanceOfSatisfying(AoeProtocolException.class, e -> assertThat(e.offset()).isEqualTo(27))
                .hasMessageContaining("5 mask directives");
        frame.put(AoeConstants.MASK_DIRECTIVE_COUNT, (byte) 4);
        assertThatCode(() -> AoeCodec.decode(frame)).as("4 directives fit in 60 bytes").doesNotThrowAnyException();
    }

    @Test
    void aFullListOf255RoundTrips() throws Exception {
        List<MacAddress> macs = new ArrayList<>();
        for (int i = 0; i < 255; i++) {
            macs.add(new MacAddress(0x0200_0000_0000L + i));
        }
        MacMaskMessage list = MacMaskMessage.list(REQUEST.reply(TARGET, 1, 1), MaskCommand.READ, macs);

        assertThat(((MacMaskMessage) BufferKind.DIRECT.roundTrip(list)).macs()).isEqualTo(macs);
        List<MacAddress> tooMany = new ArrayList<>(macs);
        tooMany.add(A);
        assertThatThrownBy(() -> MacMaskMessage.list(REQUEST, MaskCommand.READ, tooMany))
                .hasMessageContaining("directive count");
    }

    @Test
    void countAndListMustAgree() {
        assertThatThrownBy(() -> new MacMaskMessage(REQUEST, 1, 0, 2, List.of(MaskDirective.of(MaskDirectiveCommand.ADD, A))))
                .hasMessageContaining("directive count 2 but 1 directives");
        assertThatThrownBy(() -> new MacMaskMessage(REQUEST, 1, 3, 0, List.of(MaskDirective.of(MaskDirectiveCommand.ADD, A))))
                .hasMessageContaining("directive count 0 but 1 directives");
        assertThatThrownBy(() -> MacMaskMessage.failure(REQUEST, MaskError.OK, 0)).hasMessageContaining("other than OK");
    }
}
