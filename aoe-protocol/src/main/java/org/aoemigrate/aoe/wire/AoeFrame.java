package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;

/**
 * A flyweight view of one AoE frame in a {@link ByteBuffer}, for the hot path: header and ATA
 * fields are read and written in place by name, without allocating. A target turns a request
 * into its reply in the same buffer ({@link #prepareReply}, then the ATA result fields and
 * {@link #setLength}).
 *
 * <p>The frame starts at the buffer's position when wrapped (its "base") and ends at its limit;
 * offsets are the absolute ones of {@link AoeConstants}, counted from the base. Setters write
 * through to the buffer; the buffer's position is never moved, its limit only by
 * {@link #setLength}. {@link #wrap} checks the common header only: call {@link #requireAta()}
 * before using the ATA accessors, which otherwise may throw {@link IndexOutOfBoundsException}.
 * One instance can be reused for frame after frame with {@link #reset}. Not thread-safe.
 */
public final class AoeFrame {

    private ByteBuffer buffer;
    private int base;

    /** An empty view; {@link #reset} attaches it to a frame. */
    public AoeFrame() {
    }

    /**
     * A view of the frame between {@code frame}'s position and limit.
     *
     * @throws AoeProtocolException if it is shorter than 24 bytes or not EtherType 0x88A2
     */
    public static AoeFrame wrap(ByteBuffer frame) throws AoeProtocolException {
        return new AoeFrame().reset(frame);
    }

    /** Attaches this view to another frame, with the same checks as {@link #wrap}. */
    public AoeFrame reset(ByteBuffer frame) throws AoeProtocolException {
        AoeHeader.requireLength(frame, HEADER_LENGTH, "the AoE header");
        int etherType = Short.toUnsignedInt(frame.getShort(frame.position() + ETHERTYPE));
        if (etherType != ETHERTYPE_AOE) {
            throw new AoeProtocolException(
                    String.format("EtherType 0x%04x is not AoE (0x88a2)", etherType), ETHERTYPE);
        }
        this.buffer = frame;
        this.base = frame.position();
        return this;
    }

    /** The underlying buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The buffer index where the frame starts (its destination MAC). */
    public int base() {
        return base;
    }

    /** The frame's length: from its base to the buffer's limit. */
    public int length() {
        return buffer.limit() - base;
    }

    /**
     * Sets the frame's length by moving the buffer's limit, e.g. to 36 + n×512 for a read reply.
     * Bytes that come into the frame keep whatever the buffer held; see {@link #padToMinimum()}.
     */
    public void setLength(int length) {
        if (length < HEADER_LENGTH || base + length > buffer.capacity()) {
            throw new IllegalArgumentException("frame length " + length + " must be " + HEADER_LENGTH
                    + ".." + (buffer.capacity() - base) + " for this buffer");
        }
        buffer.limit(base + length);
    }

    /** Zero-fills a frame shorter than 60 bytes up to 60, as aoetools require of replies. */
    public void padToMinimum() {
        int length = length();
        if (length < MIN_FRAME) {
            setLength(MIN_FRAME);
            for (int i = length; i < MIN_FRAME; i++) {
                buffer.put(base + i, (byte) 0);
            }
        }
    }

    /**
     * Sets the length to the end of the ATA data ({@code 36 + dataLength}) and zero-pads a shorter
     * frame to 60 bytes. Only bytes past the data are touched, so it may come before or after
     * the data is filled in; when the reply is longer than the request, call it <em>first</em>:
     * the buffer refuses writes past its limit, and this moves the limit.
     */
    public void finishAta(int dataLength) {
        setLength(ATA_HEADER_LENGTH + dataLength);
        padToMinimum();
    }

    // ---- common header

    public MacAddress destination() {
        return MacAddress.read(buffer, base + DESTINATION);
    }

    public void setDestination(MacAddress mac) {
        mac.write(buffer, base + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.read(buffer, base + SOURCE);
    }

    public void setSource(MacAddress mac) {
        mac.write(buffer, base + SOURCE);
    }

    /** The AoE version (high nibble of byte 14). */
    public int version() {
        return u8(VERSION_FLAGS) >>> 4;
    }

    public void setVersion(int version) {
        WireCodes.range("version", version, 0xF);
        put8(VERSION_FLAGS, version << 4 | (u8(VERSION_FLAGS) & 0xF));
    }

    /** The R flag. */
    public boolean isResponse() {
        return (u8(VERSION_FLAGS) & FLAG_RESPONSE) != 0;
    }

    public void setResponse(boolean response) {
        setFlag(FLAG_RESPONSE, response);
    }

    /** The E flag. */
    public boolean isError() {
        return (u8(VERSION_FLAGS) & FLAG_ERROR) != 0;
    }

    /** Byte 15, meaningful when {@link #isError()}. */
    public int errorCode() {
        return u8(ERROR);
    }

    /** Sets the E flag and the error code. */
    public void setError(AoeError error) {
        setFlag(FLAG_ERROR, true);
        put8(ERROR, error.code());
    }

    /** Clears the E flag and the error code. */
    public void clearError() {
        setFlag(FLAG_ERROR, false);
        put8(ERROR, 0);
    }

    public int shelf() {
        return u16(SHELF);
    }

    public void setShelf(int shelf) {
        putShort(SHELF, WireCodes.u16("shelf", shelf));
    }

    public int slot() {
        return u8(SLOT);
    }

    public void setSlot(int slot) {
        put8(SLOT, WireCodes.u8("slot", slot));
    }

    /** Byte 19, an {@link AoeCommand} code or an unknown/vendor one. */
    public int command() {
        return u8(COMMAND);
    }

    public void setCommand(int command) {
        put8(COMMAND, WireCodes.u8("command", command));
    }

    public int tag() {
        return buffer.getInt(base + TAG);
    }

    public void setTag(int tag) {
        buffer.putInt(base + TAG, tag);
    }

    /**
     * Turns a request into the start of its reply, in place: destination = the requester,
     * source = {@code self}, version 1, R set, E and error cleared, the target's own shelf and
     * slot (r11: a reply names the real address even for a broadcast request). Command, tag and
     * everything after the header stay.
     */
    public void prepareReply(MacAddress self, int ownShelf, int ownSlot) {
        setDestination(source());
        setSource(self);
        put8(VERSION_FLAGS, VERSION << 4 | FLAG_RESPONSE);
        put8(ERROR, 0);
        setShelf(ownShelf);
        setSlot(ownSlot);
    }

    /** A decoded copy of the header (allocates). */
    public AoeHeader header() {
        try {
            return AoeHeader.decode(buffer.duplicate().position(base));
        } catch (AoeProtocolException e) {
            // reset() checked the length and EtherType; only a changed limit or EtherType gets here.
            throw new IllegalStateException("the frame no longer holds an AoE header: " + e.getMessage(), e);
        }
    }

    // ---- command 0, ATA

    /** True if the frame is long enough for the 36-byte ATA header. */
    public boolean hasAtaHeader() {
        return length() >= ATA_HEADER_LENGTH;
    }

    /** @throws AoeProtocolException unless the frame holds the 36-byte ATA header */
    public void requireAta() throws AoeProtocolException {
        if (!hasAtaHeader()) {
            throw new AoeProtocolException(
                    "frame of " + length() + " bytes is too short for the ATA header (36 bytes)", length());
        }
    }

    /** {@link AtaFlags} bits. */
    public int aflags() {
        return u8(ATA_AFLAGS);
    }

    public void setAflags(int aflags) {
        put8(ATA_AFLAGS, WireCodes.u8("aflags", aflags));
    }

    /** Feature register (request) or Error register (response). */
    public int errFeature() {
        return u8(ATA_ERR_FEATURE);
    }

    public void setErrFeature(int value) {
        put8(ATA_ERR_FEATURE, WireCodes.u8("err/feature", value));
    }

    public int sectorCount() {
        return u8(ATA_SECTOR_COUNT);
    }

    public void setSectorCount(int count) {
        put8(ATA_SECTOR_COUNT, WireCodes.u8("sector count", count));
    }

    /** ATA command (request) or Status register (response). */
    public int cmdStatus() {
        return u8(ATA_CMD_STATUS);
    }

    public void setCmdStatus(int value) {
        put8(ATA_CMD_STATUS, WireCodes.u8("cmd/status", value));
    }

    /**
     * lba0..lba5 as a 48-bit number. <b>Little-endian on the wire</b>, unlike the other fields.
     * For 28-bit commands, mask with 0x0FFFFFFF: lba3's high nibble is the Device register.
     */
    public long lba() {
        long lba = 0;
        for (int i = ATA_LBA_LENGTH - 1; i >= 0; i--) {
            lba = (lba << 8) | u8(ATA_LBA + i);
        }
        return lba;
    }

    public void setLba(long lba) {
        if ((lba & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("the LBA field has 48 bits: 0x" + Long.toHexString(lba));
        }
        for (int i = 0; i < ATA_LBA_LENGTH; i++) {
            buffer.put(base + ATA_LBA + i, (byte) (lba >>> (8 * i)));
        }
    }

    /** Sets status, error register and sectors left in one go: an ATA result. */
    public void setAtaResult(int status, int errorRegister, int sectorsLeft) {
        setCmdStatus(status);
        setErrFeature(errorRegister);
        setSectorCount(sectorsLeft);
    }

    /** The buffer index of the first data byte (base + 36), for reading or writing in place. */
    public int dataIndex() {
        return base + ATA_DATA;
    }

    /** Bytes after the ATA header, Ethernet padding included (0 if the header is short). */
    public int dataLength() {
        return Math.max(0, length() - ATA_DATA);
    }

    /** A view of the ATA data sharing the buffer's memory (allocates the view). */
    public ByteBuffer data() {
        return buffer.slice(dataIndex(), dataLength());
    }

    private int u8(int offset) {
        return Byte.toUnsignedInt(buffer.get(base + offset));
    }

    private int u16(int offset) {
        return Short.toUnsignedInt(buffer.getShort(base + offset));
    }

    private void put8(int offset, int value) {
        buffer.put(base + offset, (byte) value);
    }

    private void putShort(int offset, int value) {
        buffer.putShort(base + offset, (short) value);
    }

    private void setFlag(int flag, boolean on) {
        int verFlags = u8(VERSION_FLAGS);
        put8(VERSION_FLAGS, on ? verFlags | flag : verFlags & ~flag);
    }
}
