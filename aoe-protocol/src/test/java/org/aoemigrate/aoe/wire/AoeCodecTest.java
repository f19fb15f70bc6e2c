package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeHeaderTest.HOST;
import static org.aoemigrate.aoe.wire.AoeHeaderTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.aoemigrate.aoe.testing.Pcapng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AoeCodecTest {

    private static AoeHeader request(AoeCommand command) {
        return AoeHeader.request(TARGET, HOST, 3, 4, command, 0x8000_0042);
    }

    /** One valid message of every kind and shape, to cut short at every length. */
    static Stream<Arguments> validMessages() {
        AoeHeader vendorReply = new AoeHeader(HOST, TARGET, 1, true, true, 1, 3, 4, 0xF0, 2);
        return Stream.of(
                AtaMessage.identify(request(AoeCommand.ATA)),
                AtaMessage.read(request(AoeCommand.ATA), 77, 2),
                AtaMessage.write(request(AoeCommand.ATA), 0x1234_5678_9ABCL, ByteBuffer.allocate(1024)),
                ConfigMessage.discover(HOST, 7),
                ConfigMessage.query(request(AoeCommand.QUERY_CONFIG), ConfigSubcommand.SET, new byte[40]),
                ConfigMessage.query(request(AoeCommand.QUERY_CONFIG), ConfigSubcommand.FORCE_SET, new byte[1024]),
                MacMaskMessage.edit(request(AoeCommand.MAC_MASK), List.of(
                        MaskDirective.of(MaskDirectiveCommand.ADD, HOST), MaskDirective.of(MaskDirectiveCommand.DELETE, TARGET))),
                MacMaskMessage.failure(request(AoeCommand.MAC_MASK).reply(TARGET, 3, 4), MaskError.LIST_FULL, 1),
                ReserveMessage.of(request(AoeCommand.RESERVE_RELEASE), ReserveCommand.SET, List.of(HOST, TARGET, HOST)),
                new UnknownCommandMessage(new AoeHeader(TARGET, HOST, 1, false, false, 0, 3, 4, 0xF3, 1),
                        ByteBuffer.wrap(new byte[] {1, 2, 3})),
                new UnknownCommandMessage(vendorReply, null))
                .map(m -> Arguments.of(m.getClass().getSimpleName() + " " + AoeCodec.encodedLength(m), m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void everyTruncationDecodesOrThrowsTheProtocolException(String name, AoeMessage message) {
        byte[] whole = BufferKind.bytes(AoeCodec.toFrame(message));
        for (BufferKind kind : BufferKind.values()) {
            for (int length = 0; length <= whole.length; length++) {
                ByteBuffer cut = kind.wrap(Arrays.copyOf(whole, length));
                try {
                    AoeCodec.decode(cut);
                } catch (AoeProtocolException expected) {
                    assertThat(expected.offset()).as("points into the frame").isBetween(0, length);
                } catch (RuntimeException e) {
                    throw new AssertionError(name + " cut to " + length + " bytes in " + kind + " threw " + e, e);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void everyTruncationShorterThanTheMessageIsRefused(String name, AoeMessage message) {
        byte[] whole = BufferKind.bytes(AoeCodec.toFrame(message));
        int needed = AoeCodec.encodedLength(message);
        int mustHave = message instanceof AtaMessage ? AoeConstants.ATA_HEADER_LENGTH
                : message instanceof UnknownCommandMessage ? AoeConstants.HEADER_LENGTH : needed;
        for (int length = 0; length < mustHave; length++) {
            int cut = length;
            assertThatThrownBy(() -> AoeCodec.decode(ByteBuffer.wrap(Arrays.copyOf(whole, cut))))
                    .as("%s cut to %d bytes", name, cut)
                    .isInstanceOf(AoeProtocolException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void everyMessageRoundTripsInEveryBuffer(String name, AoeMessage message) throws Exception {
        for (BufferKind kind : BufferKind.values()) {
            assertThat(kind.roundTrip(message)).as(kind.name()).isEqualTo(padded(message));
        }
    }

    /** What decoding the padded frame gives: ATA data and unknown bodies take in the padding. */
    private static AoeMessage padded(AoeMessage message) {
        int pad = Math.max(0, AoeConstants.MIN_FRAME - AoeCodec.encodedLength(message));
        if (message instanceof AtaMessage ata && pad > 0) {
            return new AtaMessage(ata.header(), ata.aflags(), ata.errFeature(), ata.sectorCount(), ata.cmdStatus(),
                    ata.lba(), ByteBuffer.wrap(Arrays.copyOf(BufferKind.bytes(ata.data()), ata.dataLength() + pad)));
        } else if (message instanceof UnknownCommandMessage unknown && pad > 0) {
            byte[] body = BufferKind.bytes(unknown.body());
            return new UnknownCommandMessage(unknown.header(), ByteBuffer.wrap(Arrays.copyOf(body, body.length + pad)));
        }
        return message;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomBytesDecodeOrThrowTheProtocolException(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = new byte[random.nextInt(100)];
            random.nextBytes(frame);
            if (frame.length > AoeConstants.COMMAND && random.nextInt(10) > 0) {
                frame[12] = (byte) 0x88;
                frame[13] = (byte) 0xA2;
                frame[19] = (byte) random.nextInt(5); // mostly known commands
            }
            try {
                AoeCodec.decode(ByteBuffer.wrap(frame));
            } catch (AoeProtocolException expected) {
                // fine: malformed
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " frame " + i + " threw " + e, e);
            }
        }
    }

    @Test
    void everyCapturedFrameCutShortDecodesOrThrowsTheProtocolException() {
        for (String capture : new String[] {"step1.pcap", "step3-ata.pcap", "step3-mflag.pcap", "step3-rr.pcap"}) {
            for (byte[] frame : Pcapng.framesOfResource("/vblade-capture/" + capture)) {
                for (int length = 0; length <= Math.min(frame.length, 80); length++) {
                    try {
                        AoeCodec.decode(ByteBuffer.wrap(frame, 0, length));
                    } catch (AoeProtocolException expected) {
                        // fine: truncated
                    } catch (RuntimeException e) {
                        throw new AssertionError(capture + " cut to " + length + " threw " + e, e);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void shortRepliesArePaddedWithZerosTo60Bytes(BufferKind kind) throws Exception {
        ReserveMessage empty = ReserveMessage.of(request(AoeCommand.RESERVE_RELEASE).reply(TARGET, 3, 4),
                ReserveCommand.READ, List.of());
        ByteBuffer out = kind.allocate(100);
        int start = out.position();

        AoeCodec.encode(empty, out);

        assertThat(out.position() - start).isEqualTo(60);
        byte[] frame = BufferKind.bytes(out.flip().position(start));
        assertThat(Arrays.copyOfRange(frame, 26, 60)).containsOnly(0);
        assertThat(AoeCodec.decode(out)).isEqualTo(empty);
    }

    @Test
    void encodeUnpaddedWritesOnlyTheMessage() {
        ByteBuffer out = ByteBuffer.allocate(100);

        AoeCodec.encodeUnpadded(ConfigMessage.discover(HOST, 1), out);

        assertThat(out.position()).isEqualTo(32);
    }

    @Test
    void encodeRefusesABufferTooSmallAndWritesNothing() {
        ByteBuffer out = ByteBuffer.allocate(59);

        assertThatThrownBy(() -> AoeCodec.encode(ConfigMessage.discover(HOST, 1), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 60 bytes but the buffer has 59");
        assertThat(out.position()).isZero();
        assertThat(BufferKind.bytes(out)).containsOnly(0);
    }

    @Test
    void decodeLeavesThePositionAndLimitAlone() throws Exception {
        ByteBuffer frame = AoeCodec.toFrame(AtaMessage.read(request(AoeCommand.ATA), 1, 1));

        AoeCodec.decode(frame);

        assertThat(frame.position()).isZero();
        assertThat(frame.limit()).isEqualTo(60);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 0x0F, 0xEF, 0xF0, 0xFF})
    void unknownAndVendorCommandsKeepTheirBodyForTheEcho(int command) throws Exception {
        byte[] frame = new byte[60];
        new AoeHeader(TARGET, HOST, 1, false, false, 0, 3, 4, command, 99).encode(ByteBuffer.wrap(frame), 0);
        frame[24] = 0x55;
        frame[59] = 0x66;

        UnknownCommandMessage unknown = (UnknownCommandMessage) AoeCodec.decode(ByteBuffer.wrap(frame));
        UnknownCommandMessage echo = unknown.withHeader(
                unknown.header().reply(TARGET, 3, 4).withError(AoeError.UNRECOGNIZED_COMMAND));

        assertThat(unknown.isVendor()).isEqualTo(command >= 0xF0);
        byte[] reply = BufferKind.bytes(AoeCodec.toFrame(echo));
        assertThat(Arrays.copyOfRange(reply, 24, 60)).isEqualTo(Arrays.copyOfRange(frame, 24, 60));
        assertThat(reply[14]).isEqualTo((byte) 0x1C);
        assertThat(reply[15]).isEqualTo((byte) 1);
        assertThat(reply[19]).isEqualTo((byte) command);
    }

    @Test
    void aMessageMustSitUnderAHeaderOfItsCommand() {
        assertThatThrownBy(() -> AtaMessage.identify(request(AoeCommand.QUERY_CONFIG)))
                .hasMessageContaining("ATA message needs a header with command 0, not 1");
        assertThatThrownBy(() -> ConfigMessage.query(request(AoeCommand.ATA), ConfigSubcommand.READ, null))
                .hasMessageContaining("QUERY_CONFIG");
        assertThatThrownBy(() -> new UnknownCommandMessage(request(AoeCommand.RESERVE_RELEASE), null))
                .hasMessageContaining("not RESERVE_RELEASE");
    }

    @Test
    void decodedDataSharesTheFrameUntilCopied() throws Exception {
        ByteBuffer frame = AoeCodec.toFrame(AtaMessage.write(request(AoeCommand.ATA), 0, ByteBuffer.allocate(512)));
        AtaMessage write = (AtaMessage) AoeCodec.decode(frame);

        frame.put(AoeConstants.ATA_DATA, (byte) 9);

        assertThat(write.data().get(0)).as("documented: a view, not a copy").isEqualTo((byte) 9);
    }
}
