package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Command 0, Issue ATA Command (r11 3.1): the ATA registers and the data that follows them.
 *
 * <p>The LBA is the six bytes lba0..lba5 as one 48-bit number; on the wire they are
 * <b>little-endian</b>, unlike every other AoE field. {@link #lba()} is that raw number. For the
 * 28-bit commands (READ 0x20, WRITE 0x30, ...) the high nibble of lba3 is the ATA Device
 * register, not address: Linux sends {@code 0xE0 | lba[27:24]} and IDENTIFY sends 0xA0. Use
 * {@link #lba28()} for the address and {@link #deviceBits()} for those bits, or
 * {@link #addressedLba()} to get whichever the opcode means.
 *
 * <p>The data is a read-only view. After {@link AoeCodec#decode} it shares memory with the frame
 * buffer, so it is valid only until that buffer is reused; copy it to keep it. Its length is
 * whatever the frame carried, Ethernet padding included: a write carrying less than
 * {@code sectorCount * 512} bytes decodes fine, and the target decides ({@link #dataLength()}).
 *
 * @param aflags      {@link AtaFlags} bits
 * @param errFeature  Feature register in a request, Error register ({@link AtaErrorBits}) in a response
 * @param sectorCount sectors to transfer in a request, sectors left in a response
 * @param cmdStatus   ATA command ({@link AtaOpcode}) in a request, {@link AtaStatus} in a response
 * @param lba         lba0..lba5 as a 48-bit number (see above)
 * @param data        the bytes after the 36-byte ATA header
 */
public record AtaMessage(
        AoeHeader header, int aflags, int errFeature, int sectorCount, int cmdStatus, long lba, ByteBuffer data)
        implements AoeMessage {

    private static final long LBA48_MASK = 0xFFFF_FFFF_FFFFL;
    private static final long LBA28_MASK = 0x0FFF_FFFFL;
    private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** lba3 of an IDENTIFY request as Linux sends it: the obsolete bits 7 and 5 of Device. */
    private static final long IDENTIFY_DEVICE = 0xA0L << 24;

    public AtaMessage {
        WireCodes.requireCommand(header, AoeCommand.ATA);
        WireCodes.u8("aflags", aflags);
        WireCodes.u8("err/feature", errFeature);
        WireCodes.u8("sector count", sectorCount);
        WireCodes.u8("cmd/status", cmdStatus);
        if ((lba & ~LBA48_MASK) != 0) {
            throw new IllegalArgumentException("the LBA field has 48 bits: 0x" + Long.toHexString(lba));
        }
        data = data == null ? NO_DATA : data.slice().asReadOnlyBuffer();
    }

    /** IDENTIFY DEVICE as Linux sends it: one sector, lba3 = 0xA0. */
    public static AtaMessage identify(AoeHeader header) {
        return new AtaMessage(header, 0, 0, 1, AtaOpcode.IDENTIFY.code(), IDENTIFY_DEVICE, null);
    }

    /** READ SECTORS EXT of {@code count} sectors (1..255) at a 48-bit LBA. */
    public static AtaMessage read(AoeHeader header, long lba, int count) {
        WireCodes.range("sector count", count, MAX_SECTOR_COUNT);
        return new AtaMessage(header, AtaFlags.EXTENDED, 0, count, AtaOpcode.READ_EXT.code(), lba, null);
    }

    /** WRITE SECTORS EXT of {@code data} (whole sectors, at most 255) at a 48-bit LBA. */
    public static AtaMessage write(AoeHeader header, long lba, ByteBuffer data) {
        if (data.remaining() % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException(
                    "write data must be whole 512-byte sectors, was " + data.remaining() + " bytes");
        }
        int count = WireCodes.range("sector count", data.remaining() / SECTOR_SIZE, MAX_SECTOR_COUNT);
        return new AtaMessage(
                header, AtaFlags.EXTENDED | AtaFlags.WRITE, 0, count, AtaOpcode.WRITE_EXT.code(), lba, data);
    }

    /** A command without data or address: FLUSH CACHE (EXT), CHECK POWER MODE. */
    public static AtaMessage nonData(AoeHeader header, AtaOpcode opcode) {
        return new AtaMessage(header, opcode.lba48() ? AtaFlags.EXTENDED : 0, 0, 0, opcode.code(), 0, null);
    }

    /**
     * This request's response: the given header (see {@link AoeHeader#reply}), the result
     * registers and the data, with AFlags and LBA echoed as vblade does.
     */
    public AtaMessage result(AoeHeader replyHeader, int status, int errorRegister, int sectorsLeft, ByteBuffer data) {
        return new AtaMessage(replyHeader, aflags, errorRegister, sectorsLeft, status, lba, data);
    }

    @Override
    public AtaMessage withHeader(AoeHeader newHeader) {
        return new AtaMessage(newHeader, aflags, errFeature, sectorCount, cmdStatus, lba, data);
    }

    /** A read-only view of the data; reading it does not change this message. */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** Bytes carried after the ATA header, padding included. */
    public int dataLength() {
        return data.remaining();
    }

    /** The request's opcode, or empty for one this code does not implement. */
    public Optional<AtaOpcode> opcode() {
        return AtaOpcode.fromCode(cmdStatus);
    }

    /** The AFlags W bit. vblade decides by opcode; an initiator sets both. */
    public boolean isWrite() {
        return (aflags & AtaFlags.WRITE) != 0;
    }

    /** The AFlags E bit (48-bit LBA). */
    public boolean isExtended() {
        return (aflags & AtaFlags.EXTENDED) != 0;
    }

    /** The low 28 bits of the LBA: the address of a 28-bit command. */
    public long lba28() {
        return lba & LBA28_MASK;
    }

    /** The Device register bits a 28-bit command carries in lba3's high nibble (e.g. 0xE0). */
    public int deviceBits() {
        return (int) (lba >>> 24) & 0xF0;
    }

    /**
     * The address the opcode means: all 48 bits for EXT commands and unknown opcodes, the low 28
     * for the others (the width follows the opcode, not the E flag, as in vblade).
     */
    public long addressedLba() {
        return AtaOpcode.fromCode(cmdStatus).map(AtaOpcode::lba48).orElse(true) ? lba : lba28();
    }

    static AtaMessage decode(AoeHeader header, ByteBuffer frame) throws AoeProtocolException {
        AoeHeader.requireLength(frame, ATA_HEADER_LENGTH, "the ATA header");
        int base = frame.position();
        long lba = 0;
        for (int i = ATA_LBA_LENGTH - 1; i >= 0; i--) {
            lba = (lba << 8) | Byte.toUnsignedLong(frame.get(base + ATA_LBA + i));
        }
        return new AtaMessage(
                header,
                Byte.toUnsignedInt(frame.get(base + ATA_AFLAGS)),
                Byte.toUnsignedInt(frame.get(base + ATA_ERR_FEATURE)),
                Byte.toUnsignedInt(frame.get(base + ATA_SECTOR_COUNT)),
                Byte.toUnsignedInt(frame.get(base + ATA_CMD_STATUS)),
                lba,
                frame.slice(base + ATA_DATA, frame.remaining() - ATA_DATA));
    }

    @Override
    public int encodedLength() {
        return ATA_HEADER_LENGTH + data.remaining();
    }

    void encodeBody(ByteBuffer out, int base) {
        out.put(base + ATA_AFLAGS, (byte) aflags);
        out.put(base + ATA_ERR_FEATURE, (byte) errFeature);
        out.put(base + ATA_SECTOR_COUNT, (byte) sectorCount);
        out.put(base + ATA_CMD_STATUS, (byte) cmdStatus);
        for (int i = 0; i < ATA_LBA_LENGTH; i++) {
            out.put(base + ATA_LBA + i, (byte) (lba >>> (8 * i)));
        }
        out.putShort(base + ATA_RESERVED, (short) 0);
        out.put(base + ATA_DATA, data, data.position(), data.remaining());
    }

    @Override
    public String toString() {
        return String.format(
                "AtaMessage[%s, aflags 0x%02x, err/feature 0x%02x, count %d, cmd/status 0x%02x, lba 0x%x, %d data bytes]",
                header, aflags, errFeature, sectorCount, cmdStatus, lba, data.remaining());
    }
}
