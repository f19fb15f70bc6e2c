package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.aoemigrate.aoe.testing.Pcapng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every frame vblade and the probe's initiator exchanged (the four captures and the sample
 * dumps) decodes, and encodes back to the same bytes.
 */
class GoldenFramesTest {

    private static final String[] CAPTURES = {"step1.pcap", "step3-ata.pcap", "step3-mflag.pcap", "step3-rr.pcap"};

    static Stream<Arguments> capturedFrames() {
        List<Arguments> all = new ArrayList<>();
        for (String capture : CAPTURES) {
            List<byte[]> frames = Pcapng.framesOfResource("/vblade-capture/" + capture);
            for (int i = 0; i < frames.size(); i++) {
                for (BufferKind kind : BufferKind.values()) {
                    all.add(Arguments.of(capture + " #" + (i + 1), frames.get(i), kind));
                }
            }
        }
        SampleFrames.all().forEach((number, frame) -> {
            for (BufferKind kind : BufferKind.values()) {
                all.add(Arguments.of("sample-frames #" + number, frame, kind));
            }
        });
        return all.stream();
    }

    @ParameterizedTest(name = "{0} in {2}")
    @MethodSource("capturedFrames")
    void decodesAndReencodesEveryCapturedFrame(String name, byte[] frame, BufferKind kind) throws Exception {
        ByteBuffer in = kind.wrap(frame);
        int position = in.position();

        AoeMessage message = AoeCodec.decode(in);

        assertThat(in.position()).as("decode leaves the position alone").isEqualTo(position);
        int length = AoeCodec.encodedLength(message);
        assertThat(length).isLessThanOrEqualTo(frame.length);
        ByteBuffer out = kind.allocate(length);
        AoeCodec.encodeUnpadded(message, out);
        assertThat(out.hasRemaining()).isFalse();
        assertThat(BufferKind.bytes(out.flip().position(out.limit() - length)))
                .as("%s re-encoded (%d of %d bytes; the rest is Ethernet padding)", message, length, frame.length)
                .isEqualTo(Arrays.copyOf(frame, length));
    }

    @ParameterizedTest(name = "{0} in {2}")
    @MethodSource("capturedFrames")
    void paddedEncodingIsTheCapturedFrameWithZeroPadding(String name, byte[] frame, BufferKind kind) throws Exception {
        // Captured padding is zero (r11: reserved bytes are zero when sent), so our padded frame,
        // cut or zero-extended to 60 bytes, is exactly what was on the wire.
        AoeMessage message = AoeCodec.decode(kind.wrap(frame));

        byte[] padded = BufferKind.bytes(AoeCodec.toFrame(message));

        assertThat(padded).isEqualTo(Arrays.copyOf(frame, Math.max(AoeConstants.MIN_FRAME, frame.length)));
    }

    @ParameterizedTest(name = "{0} in {2}")
    @MethodSource("capturedFrames")
    void flyweightReadsWhatTheCodecReads(String name, byte[] frame, BufferKind kind) throws Exception {
        AoeMessage message = AoeCodec.decode(kind.wrap(frame));
        AoeFrame view = AoeFrame.wrap(kind.wrap(frame));

        assertThat(view.header()).isEqualTo(message.header());
        assertThat(view.length()).isEqualTo(frame.length);
        if (message instanceof AtaMessage ata) {
            assertThat(view.aflags()).isEqualTo(ata.aflags());
            assertThat(view.errFeature()).isEqualTo(ata.errFeature());
            assertThat(view.sectorCount()).isEqualTo(ata.sectorCount());
            assertThat(view.cmdStatus()).isEqualTo(ata.cmdStatus());
            assertThat(view.lba()).isEqualTo(ata.lba());
            assertThat(view.data()).isEqualTo(ata.data());
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void everyCaptureHoldsEveryCommandKind(BufferKind kind) throws Exception {
        List<Class<?>> seen = new ArrayList<>();
        for (String capture : CAPTURES) {
            for (byte[] frame : Pcapng.framesOfResource("/vblade-capture/" + capture)) {
                seen.add(AoeCodec.decode(kind.wrap(frame)).getClass());
            }
        }
        assertThat(seen).contains(AtaMessage.class, ConfigMessage.class, MacMaskMessage.class, ReserveMessage.class);
    }
}
