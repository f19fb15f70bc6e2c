package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AoeFrameTest {

    private static final MacAddress VBLADE = MacAddress.parse("a6:0c:ba:c6:1f:b9");

    /** The frame at the start of a buffer with room to grow it into a reply. */
    private static ByteBuffer roomy(BufferKind kind, byte[] frame, int capacity) {
        ByteBuffer b = kind.allocate(capacity);
        b.put(b.position(), frame);
        return b.limit(b.position() + frame.length);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void turnsAWriteRequestIntoVbladesReplyInPlace(BufferKind kind) throws Exception {
        // sample 26 (WRITE EXT, 2 sectors) -> sample 27: 60 bytes echoing the first 24 data bytes
        ByteBuffer buffer = roomy(kind, SampleFrames.frame(26), 1100);
        AoeFrame frame = AoeFrame.wrap(buffer);

        frame.prepareReply(VBLADE, 1, 1);
        frame.setAtaResult(AtaStatus.OK, 0, 0);
        frame.setLength(AoeConstants.MIN_FRAME);

        assertThat(BufferKind.bytes(buffer)).isEqualTo(SampleFrames.frame(27));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void turnsAReadRequestIntoADataReplyInPlace(BufferKind kind) throws Exception {
        // sample 10 (READ EXT, 2 sectors at 0) -> sample 11's header and first data bytes
        ByteBuffer buffer = roomy(kind, SampleFrames.frame(10), 1100);
        byte[] expected = SampleFrames.frame(11);
        AoeFrame frame = AoeFrame.wrap(buffer);

        frame.prepareReply(VBLADE, 1, 1);
        frame.setAtaResult(AtaStatus.OK, 0, 0);
        frame.finishAta(1024); // first: it makes room for the data
        frame.data().put(expected, 36, expected.length - 36);

        assertThat(frame.length()).isEqualTo(1060);
        assertThat(Arrays.copyOf(BufferKind.bytes(buffer), expected.length)).isEqualTo(expected);
        assertThat(buffer.position()).as("setters never move the position").isEqualTo(frame.base());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void everyHeaderFieldCanBeSetInPlace(BufferKind kind) throws Exception {
        ByteBuffer buffer = roomy(kind, SampleFrames.frame(6), 60);
        AoeFrame frame = AoeFrame.wrap(buffer);

        frame.setDestination(MacAddress.BROADCAST);
        frame.setSource(VBLADE);
        frame.setVersion(2);
        frame.setResponse(true);
        frame.setError(AoeError.TARGET_RESERVED);
        frame.setShelf(0xFFFE);
        frame.setSlot(0xFE);
        frame.setCommand(0xF1);
        frame.setTag(0xCAFEBABE);

        assertThat(frame.header()).isEqualTo(
                new AoeHeader(MacAddress.BROADCAST, VBLADE, 2, true, true, 6, 0xFFFE, 0xFE, 0xF1, 0xCAFEBABE));
        assertThat(frame.version()).isEqualTo(2);
        assertThat(frame.isResponse()).isTrue();
        assertThat(frame.isError()).isTrue();
        assertThat(frame.errorCode()).isEqualTo(6);
        frame.clearError();
        frame.setResponse(false);
        assertThat(frame.isError()).isFalse();
        assertThat(frame.errorCode()).isZero();
        assertThat(frame.isResponse()).isFalse();
        assertThat(frame.version()).as("flags do not touch the version").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void everyAtaFieldCanBeSetInPlaceAndTheLbaIsLittleEndian(BufferKind kind) throws Exception {
        ByteBuffer buffer = roomy(kind, SampleFrames.frame(10), 60);
        AoeFrame frame = AoeFrame.wrap(buffer);

        frame.setAflags(AtaFlags.EXTENDED | AtaFlags.WRITE);
        frame.setErrFeature(AtaErrorBits.ABRT);
        frame.setSectorCount(17);
        frame.setCmdStatus(AtaStatus.FAILED);
        frame.setLba(0x0605_0403_0201L);

        byte[] bytes = BufferKind.bytes(buffer);
        assertThat(Arrays.copyOfRange(bytes, 24, 34)).isEqualTo(SampleFrames.hex("41 04 11 41 01 02 03 04 05 06"));
        AtaMessage decoded = (AtaMessage) AoeCodec.decode(buffer);
        assertThat(decoded.lba()).isEqualTo(frame.lba()).isEqualTo(0x0605_0403_0201L);
        assertThat(decoded.aflags()).isEqualTo(frame.aflags());
        assertThat(decoded.errFeature()).isEqualTo(frame.errFeature()).isEqualTo(AtaErrorBits.ABRT);
        assertThat(decoded.sectorCount()).isEqualTo(frame.sectorCount()).isEqualTo(17);
        assertThat(decoded.cmdStatus()).isEqualTo(frame.cmdStatus()).isEqualTo(AtaStatus.FAILED);
        assertThatThrownBy(() -> frame.setLba(1L << 48)).hasMessageContaining("48 bits");
        assertThatThrownBy(() -> frame.setSectorCount(256)).hasMessageContaining("sector count");
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void paddingZeroFillsUpTo60Bytes(BufferKind kind) throws Exception {
        ByteBuffer buffer = kind.allocate(100);
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            buffer.put(i, (byte) 0x77);
        }
        buffer.put(buffer.position(), SampleFrames.frame(3)); // 32-byte Config reply
        buffer.limit(buffer.position() + 32);
        AoeFrame frame = AoeFrame.wrap(buffer);

        frame.padToMinimum();

        assertThat(frame.length()).isEqualTo(60);
        byte[] bytes = BufferKind.bytes(buffer);
        assertThat(Arrays.copyOf(bytes, 32)).isEqualTo(SampleFrames.frame(3));
        assertThat(Arrays.copyOfRange(bytes, 32, 60)).containsOnly(0);
        frame.setLength(80);
        frame.padToMinimum();
        assertThat(frame.length()).as("longer frames are left alone").isEqualTo(80);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void finishAtaPadsAnIdnfReplyTo60Bytes(BufferKind kind) throws Exception {
        ByteBuffer buffer = roomy(kind, SampleFrames.frame(10), 60);
        AoeFrame frame = AoeFrame.wrap(buffer);
        frame.setAtaResult(AtaStatus.FAILED, AtaErrorBits.IDNF, 2);

        frame.finishAta(0);

        assertThat(frame.length()).isEqualTo(60);
        assertThat(frame.dataLength()).isEqualTo(24);
        assertThat(BufferKind.bytes(frame.data())).containsOnly(0);
    }

    @Test
    void wrapChecksLengthAndEtherType() {
        assertThatThrownBy(() -> AoeFrame.wrap(ByteBuffer.allocate(23)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining("23 bytes");
        assertThatThrownBy(() -> AoeFrame.wrap(ByteBuffer.allocate(60).putShort(12, (short) 0x86DD)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining("0x86dd");
    }

    @Test
    void theAtaAccessorsNeedTheAtaHeader() throws Exception {
        AoeFrame shortFrame = AoeFrame.wrap(ByteBuffer.wrap(Arrays.copyOf(SampleFrames.frame(10), 35)));

        assertThat(shortFrame.hasAtaHeader()).isFalse();
        assertThat(shortFrame.dataLength()).isZero();
        assertThatThrownBy(shortFrame::requireAta)
                .isInstanceOfSatisfying(AoeProtocolException.class, e -> assertThat(e.offset()).isEqualTo(35))
                .hasMessageContaining("ATA header");
        AoeFrame.wrap(ByteBuffer.wrap(SampleFrames.frame(10))).requireAta();
    }

    @Test
    void oneViewServesFrameAfterFrame() throws Exception {
        AoeFrame frame = new AoeFrame();

        assertThat(frame.reset(ByteBuffer.wrap(SampleFrames.frame(2))).shelf()).isEqualTo(0xFFFF);
        assertThat(frame.reset(ByteBuffer.wrap(SampleFrames.frame(3))).shelf()).isEqualTo(1);
        assertThat(frame.tag()).isEqualTo(0xd1690001);
    }

    @Test
    void setLengthStaysInsideTheBuffer() throws Exception {
        AoeFrame frame = AoeFrame.wrap(ByteBuffer.allocate(64).putShort(12, (short) 0x88A2).limit(60));

        frame.setLength(64);
        assertThatThrownBy(() -> frame.setLength(65)).hasMessageContaining("24..64");
        assertThatThrownBy(() -> frame.setLength(23)).hasMessageContaining("24..64");
    }
}
