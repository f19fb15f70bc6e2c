package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The Ethernet header and the common AoE header (r11 2.1): frame bytes 0..23.
 *
 * @param destination destination MAC
 * @param source      source MAC
 * @param version     AoE version, the high nibble of byte 14 (1 for r11; vblade's start-up
 *                    advert carries 0)
 * @param response    the R flag: set in responses; targets ignore frames that carry it
 * @param error       the E flag: {@code errorCode} is meaningful
 * @param errorCode   byte 15, an {@link AoeError} code when {@code error} is set
 * @param shelf       major address, 0..0xFFFF ({@link AoeConstants#BROADCAST_SHELF} = all)
 * @param slot        minor address, 0..0xFF ({@link AoeConstants#BROADCAST_SLOT} = all)
 * @param command     byte 19, an {@link AoeCommand} code or an unknown/vendor one
 * @param tag         opaque, echoed by the target; Linux keeps bit 31 clear, user tools set it
 */
public record AoeHeader(
        MacAddress destination,
        MacAddress source,
        int version,
        boolean response,
        boolean error,
        int errorCode,
        int shelf,
        int slot,
        int command,
        int tag) {

    public AoeHeader {
        if (destination == null || source == null) {
            throw new IllegalArgumentException("destination and source MACs are required");
        }
        WireCodes.range("version", version, 0xF);
        WireCodes.u8("error code", errorCode);
        WireCodes.u16("shelf", shelf);
        WireCodes.u8("slot", slot);
        WireCodes.u8("command", command);
    }

    /** A version-1 request header with no flags. */
    public static AoeHeader request(
            MacAddress destination, MacAddress source, int shelf, int slot, AoeCommand command, int tag) {
        return new AoeHeader(destination, source, VERSION, false, false, 0, shelf, slot, command.code(), tag);
    }

    /**
     * The header of a reply to this request, as r11 wants it: back to the sender, from
     * {@code self}, with the R flag, version 1, the target's real shelf and slot (even when the
     * request was broadcast), the same command and tag, and no error.
     */
    public AoeHeader reply(MacAddress self, int ownShelf, int ownSlot) {
        return new AoeHeader(source, self, VERSION, true, false, 0, ownShelf, ownSlot, command, tag);
    }

    /** The same header with the E flag and this error code. */
    public AoeHeader withError(AoeError code) {
        return new AoeHeader(destination, source, version, response, true, code.code(), shelf, slot, command, tag);
    }

    /** The command, or empty for an unknown or vendor code. */
    public Optional<AoeCommand> aoeCommand() {
        return AoeCommand.fromCode(command);
    }

    /** The error, or empty when the E flag is clear or the code is not one r11 defines. */
    public Optional<AoeError> aoeError() {
        return error ? AoeError.fromCode(errorCode) : Optional.empty();
    }

    /** True if a target at this shelf and slot must handle the frame (r11 2.1 wildcards). */
    public boolean addresses(int ownShelf, int ownSlot) {
        return (shelf == ownShelf || shelf == BROADCAST_SHELF) && (slot == ownSlot || slot == BROADCAST_SLOT);
    }

    /**
     * Reads the header of the frame between {@code frame}'s position and limit, without moving
     * the position.
     *
     * @throws AoeProtocolException if the frame is shorter than 24 bytes or not EtherType 0x88A2
     */
    public static AoeHeader decode(ByteBuffer frame) throws AoeProtocolException {
        requireLength(frame, HEADER_LENGTH, "the AoE header");
        int base = frame.position();
        int etherType = Short.toUnsignedInt(frame.getShort(base + ETHERTYPE));
        if (etherType != ETHERTYPE_AOE) {
            throw new AoeProtocolException(
                    String.format("EtherType 0x%04x is not AoE (0x88a2)", etherType), ETHERTYPE);
        }
        int verFlags = Byte.toUnsignedInt(frame.get(base + VERSION_FLAGS));
        return new AoeHeader(
                MacAddress.read(frame, base + DESTINATION),
                MacAddress.read(frame, base + SOURCE),
                verFlags >>> 4,
                (verFlags & FLAG_RESPONSE) != 0,
                (verFlags & FLAG_ERROR) != 0,
                Byte.toUnsignedInt(frame.get(base + ERROR)),
                Short.toUnsignedInt(frame.getShort(base + SHELF)),
                Byte.toUnsignedInt(frame.get(base + SLOT)),
                Byte.toUnsignedInt(frame.get(base + COMMAND)),
                frame.getInt(base + TAG));
    }

    /** Writes the 24 header bytes at absolute index {@code base} of {@code out}. */
    void encode(ByteBuffer out, int base) {
        destination.write(out, base + DESTINATION);
        source.write(out, base + SOURCE);
        out.putShort(base + ETHERTYPE, (short) ETHERTYPE_AOE);
        int flags = (response ? FLAG_RESPONSE : 0) | (error ? FLAG_ERROR : 0);
        out.put(base + VERSION_FLAGS, (byte) (version << 4 | flags));
        out.put(base + ERROR, (byte) errorCode);
        out.putShort(base + SHELF, (short) shelf);
        out.put(base + SLOT, (byte) slot);
        out.put(base + COMMAND, (byte) command);
        out.putInt(base + TAG, tag);
    }

    /** Throws unless the frame holds at least {@code length} bytes; {@code what} names the part. */
    static void requireLength(ByteBuffer frame, int length, String what) throws AoeProtocolException {
        if (frame.remaining() < length) {
            throw new AoeProtocolException(
                    "frame of " + frame.remaining() + " bytes is too short for " + what + " (" + length
                            + " bytes)",
                    frame.remaining());
        }
    }

    @Override
    public String toString() {
        return String.format(
                "AoeHeader[%s -> %s, v%d%s%s, e%d.%d, cmd %d, tag 0x%08x]",
                source, destination, version, response ? " R" : "",
                error ? " E" + errorCode : "", shelf, slot, command, tag);
    }
}
