package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeHeaderTest.HOST;
import static org.aoemigrate.aoe.wire.AoeHeaderTest.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AtaMessageTest {

    private static final AoeHeader REQUEST = AoeHeader.request(TARGET, HOST, 1, 1, AoeCommand.ATA, 0x80000001);

    private static byte[] sectors(int count) {
        byte[] data = new byte[count * AoeConstants.SECTOR_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        return data;
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void the48BitLbaIsLittleEndianOnTheWire(BufferKind kind) throws Exception {
        AtaMessage read = AtaMessage.read(REQUEST, 0xBA98_7654_3210L, 2);
        ByteBuffer frame = kind.allocate(AoeConstants.MIN_FRAME);
        int start = frame.position();

        AoeCodec.encode(read, frame);

        byte[] bytes = BufferKind.bytes(frame.flip().position(start));
        assertThat(Arrays.copyOfRange(bytes, 24, 36)).isEqualTo(SampleFrames.hex("40 00 02 24 10 32 54 76 98 ba 0000"));
        assertThat(((AtaMessage) AoeCodec.decode(frame)).lba()).isEqualTo(0xBA98_7654_3210L);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void a28BitLbaKeepsTheDeviceBitsApartFromTheAddress(BufferKind kind) throws Exception {
        // Linux: READ SECTORS (0x20) with lba3 = 0xE0 | lba[27:24]
        long lba = 0x0ABC_DEF1L;
        AtaMessage read = new AtaMessage(REQUEST, 0, 0, 1, AtaOpcode.READ.code(), 0xE0L << 24 | lba, null);

        AtaMessage decoded = (AtaMessage) kind.roundTrip(read);

        assertThat(decoded.lba()).isEqualTo(0xEA_BC_DE_F1L);
        assertThat(decoded.deviceBits()).isEqualTo(0xE0);
        assertThat(decoded.lba28()).isEqualTo(lba);
        assertThat(decoded.addressedLba()).isEqualTo(lba);
        assertThat(decoded.isExtended()).isFalse();
    }

    @Test
    void addressWidthFollowsTheOpcodeNotTheFlag() {
        long raw = 0x0000_E123_4567L;
        AtaMessage readExtWithoutE = new AtaMessage(REQUEST, 0, 0, 1, AtaOpcode.READ_EXT.code(), raw, null);
        AtaMessage readWithE = new AtaMessage(REQUEST, AtaFlags.EXTENDED, 0, 1, AtaOpcode.READ.code(), raw, null);
        AtaMessage unknown = new AtaMessage(REQUEST, 0, 0, 1, 0xB0, raw, null);

        assertThat(readExtWithoutE.addressedLba()).isEqualTo(raw);
        assertThat(readWithE.addressedLba()).isEqualTo(0x0123_4567L);
        assertThat(unknown.opcode()).isEmpty();
        assertThat(unknown.addressedLba()).isEqualTo(raw);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void writeCarriesItsSectorsAfterTheAtaHeader(BufferKind kind) throws Exception {
        byte[] data = sectors(17);
        AtaMessage write = AtaMessage.write(REQUEST, 0xFFFF_FFFF_FFFFL, ByteBuffer.wrap(data));

        AtaMessage decoded = (AtaMessage) kind.roundTrip(write);

        assertThat(decoded).isEqualTo(write);
        assertThat(decoded.aflags()).isEqualTo(AtaFlags.EXTENDED | AtaFlags.WRITE);
        assertThat(decoded.isWrite()).isTrue();
        assertThat(decoded.sectorCount()).isEqualTo(17);
        assertThat(decoded.dataLength()).isEqualTo(17 * 512);
        assertThat(BufferKind.bytes(decoded.data())).isEqualTo(data);
        assertThat(AoeCodec.encodedLength(write)).isEqualTo(36 + 17 * 512);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void aShortWriteDecodesAndTellsTheTargetHowMuchCame(BufferKind kind) throws Exception {
        // count 2 but one sector of data: vblade answers error 2; that is the target's call.
        AtaMessage shortWrite = new AtaMessage(
                REQUEST, AtaFlags.EXTENDED | AtaFlags.WRITE, 0, 2, AtaOpcode.WRITE_EXT.code(), 8,
                ByteBuffer.wrap(sectors(1)));

        AtaMessage decoded = (AtaMessage) kind.roundTrip(shortWrite);

        assertThat(decoded.sectorCount()).isEqualTo(2);
        assertThat(decoded.dataLength()).isEqualTo(512);
    }

    @Test
    void dataIsAReadOnlySnapshotThatReadingDoesNotConsume() {
        byte[] bytes = sectors(1);
        AtaMessage write = AtaMessage.write(REQUEST, 0, ByteBuffer.wrap(bytes));

        ByteBuffer first = write.data();
        first.get(new byte[100]);

        assertThat(write.data().remaining()).isEqualTo(512);
        assertThat(first.isReadOnly()).isTrue();
        assertThatThrownBy(() -> write.data().put((byte) 1)).isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }

    @Test
    void resultKeepsFlagsAndLbaAndSetsTheRegisters() {
        AtaMessage read = AtaMessage.read(REQUEST, 1234, 1);
        AoeHeader replyHeader = REQUEST.reply(TARGET, 1, 1);

        AtaMessage result = read.result(replyHeader, AtaStatus.FAILED, AtaErrorBits.IDNF, 1, null);

        assertThat(result).isEqualTo(new AtaMessage(
                replyHeader, AtaFlags.EXTENDED, AtaErrorBits.IDNF, 1, AtaStatus.FAILED, 1234, null));
    }

    @Test
    void factoriesBuildWhatLinuxSends() {
        assertThat(AtaMessage.identify(REQUEST).opcode()).contains(AtaOpcode.IDENTIFY);
        assertThat(AtaMessage.identify(REQUEST).deviceBits()).isEqualTo(0xA0);
        AtaMessage flushExt = AtaMessage.nonData(REQUEST, AtaOpcode.FLUSH_CACHE_EXT);
        assertThat(flushExt.aflags()).isEqualTo(AtaFlags.EXTENDED);
        assertThat(flushExt.sectorCount()).isZero();
        assertThat(AtaMessage.nonData(REQUEST, AtaOpcode.FLUSH_CACHE).aflags()).isZero();
    }

    @Test
    void refusesWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> AtaMessage.read(REQUEST, 1L << 48, 1)).hasMessageContaining("48 bits");
        assertThatThrownBy(() -> AtaMessage.read(REQUEST, 0, 256)).hasMessageContaining("sector count");
        assertThatThrownBy(() -> AtaMessage.write(REQUEST, 0, ByteBuffer.allocate(100)))
                .hasMessageContaining("whole 512-byte sectors");
        assertThatThrownBy(() -> AtaMessage.write(REQUEST, 0, ByteBuffer.allocate(256 * 512)))
                .hasMessageContaining("sector count");
    }

    @Test
    void tooShortForTheAtaHeaderIsAProtocolError() {
        byte[] frame = Arrays.copyOf(SampleFrames.frame(10), 35);

        assertThatThrownBy(() -> AoeCodec.decode(ByteBuffer.wrap(frame)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining("ATA header");
    }
}
