package org.aoemigrate.aoe.wire;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Command 1, Query Config Information (r11 3.2).
 *
 * @param bufferCount     how many requests the target can queue; more are dropped
 * @param firmwareVersion the target's firmware version (vblade: 0x4000 + its release)
 * @param sectorsPerFrame the most sectors per ATA request; r11: 0 means 2
 * @param aoeVersion      high nibble of byte 29: the AoE version the target speaks
 * @param ccmd            low nibble of byte 29: a {@link ConfigSubcommand} code; 5..15 are
 *                        undefined and a target answers them with {@link AoeError#BAD_ARGUMENT}
 * @param configString    opaque bytes, at most 1024; binary, not text
 */
public record ConfigMessage(
        AoeHeader header,
        int bufferCount,
        int firmwareVersion,
        int sectorsPerFrame,
        int aoeVersion,
        int ccmd,
        byte[] configString)
        implements AoeMessage {

    private static final byte[] EMPTY = new byte[0];

    public ConfigMessage {
        WireCodes.requireCommand(header, AoeCommand.QUERY_CONFIG);
        WireCodes.u16("buffer count", bufferCount);
        WireCodes.u16("firmware version", firmwareVersion);
        WireCodes.u8("sectors per frame", sectorsPerFrame);
        WireCodes.range("AoE version", aoeVersion, 0xF);
        WireCodes.range("CCmd", ccmd, 0xF);
        configString = configString == null ? EMPTY : configString.clone();
        if (configString.length > MAX_CONFIG_STRING) {
            throw new IllegalArgumentException(
                    "config string of " + configString.length + " bytes exceeds r11's 1024");
        }
    }

    /** A request with this subcommand and string; the target fills in the other fields. */
    public static ConfigMessage query(AoeHeader header, ConfigSubcommand subcommand, byte[] configString) {
        return new ConfigMessage(header, 0, 0, 0, VERSION, subcommand.code(), configString);
    }

    /**
     * The discovery broadcast Linux sends: a READ to shelf 0xFFFF slot 0xFF at the Ethernet
     * broadcast address, which every target answers.
     */
    public static ConfigMessage discover(MacAddress source, int tag) {
        AoeHeader header = AoeHeader.request(
                MacAddress.BROADCAST, source, BROADCAST_SHELF, BROADCAST_SLOT, AoeCommand.QUERY_CONFIG, tag);
        return query(header, ConfigSubcommand.READ, EMPTY);
    }

    /** A target's answer: the given header, its own figures, the request's CCmd, the stored string. */
    public ConfigMessage answer(
            AoeHeader replyHeader, int targetBufferCount, int firmware, int targetSectorsPerFrame, byte[] stored) {
        return new ConfigMessage(replyHeader, targetBufferCount, firmware, targetSectorsPerFrame, VERSION, ccmd, stored);
    }

    @Override
    public ConfigMessage withHeader(AoeHeader newHeader) {
        return new ConfigMessage(newHeader, bufferCount, firmwareVersion, sectorsPerFrame, aoeVersion, ccmd, configString);
    }

    /** A copy of the config string. */
    @Override
    public byte[] configString() {
        return configString.clone();
    }

    public int configStringLength() {
        return configString.length;
    }

    /** The subcommand, or empty for the undefined codes 5..15. */
    public Optional<ConfigSubcommand> subcommand() {
        return ConfigSubcommand.fromCode(ccmd);
    }

    /** r11 3.2: a sector count of 0 means 2, for old targets. */
    public int effectiveSectorsPerFrame() {
        return sectorsPerFrame == 0 ? 2 : sectorsPerFrame;
    }

    static ConfigMessage decode(AoeHeader header, ByteBuffer frame) throws AoeProtocolException {
        AoeHeader.requireLength(frame, CONFIG_HEADER_LENGTH, "the Query Config header");
        int base = frame.position();
        int length = Short.toUnsignedInt(frame.getShort(base + CONFIG_STRING_LENGTH));
        if (length > MAX_CONFIG_STRING) {
            throw new AoeProtocolException(
                    "config string length " + length + " exceeds r11's 1024", CONFIG_STRING_LENGTH);
        }
        if (CONFIG_STRING + length > frame.remaining()) {
            throw new AoeProtocolException(
                    "config string of " + length + " bytes runs past the end of a " + frame.remaining()
                            + "-byte frame",
                    CONFIG_STRING_LENGTH);
        }
        byte[] string = new byte[length];
        frame.get(base + CONFIG_STRING, string);
        int versionCcmd = Byte.toUnsignedInt(frame.get(base + CONFIG_VERSION_CCMD));
        return new ConfigMessage(
                header,
                Short.toUnsignedInt(frame.getShort(base + CONFIG_BUFFER_COUNT)),
                Short.toUnsignedInt(frame.getShort(base + CONFIG_FIRMWARE)),
                Byte.toUnsignedInt(frame.get(base + CONFIG_SECTOR_COUNT)),
                versionCcmd >>> 4,
                versionCcmd & 0xF,
                string);
    }

    @Override
    public int encodedLength() {
        return CONFIG_HEADER_LENGTH + configString.length;
    }

    void encodeBody(ByteBuffer out, int base) {
        out.putShort(base + CONFIG_BUFFER_COUNT, (short) bufferCount);
        out.putShort(base + CONFIG_FIRMWARE, (short) firmwareVersion);
        out.put(base + CONFIG_SECTOR_COUNT, (byte) sectorsPerFrame);
        out.put(base + CONFIG_VERSION_CCMD, (byte) (aoeVersion << 4 | ccmd));
        out.putShort(base + CONFIG_STRING_LENGTH, (short) configString.length);
        out.put(base + CONFIG_STRING, configString);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigMessage m
                && header.equals(m.header)
                && bufferCount == m.bufferCount
                && firmwareVersion == m.firmwareVersion
                && sectorsPerFrame == m.sectorsPerFrame
                && aoeVersion == m.aoeVersion
                && ccmd == m.ccmd
                && Arrays.equals(configString, m.configString);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(configString);
    }

    @Override
    public String toString() {
        return String.format(
                "ConfigMessage[%s, bufcnt %d, fw 0x%04x, scnt %d, ver %d, ccmd %d, %d-byte string]",
                header, bufferCount, firmwareVersion, sectorsPerFrame, aoeVersion, ccmd, configString.length);
    }
}
