package org.aoemigrate.aoe.initiator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.aoemigrate.aoe.wire.ConfigMessage;

/**
 * A target's answer to Query Config (r11 3.2).
 *
 * @param bufferCount     requests the target can queue; more are dropped
 * @param firmwareVersion the target's firmware version (vblade: 0x4000 + its release)
 * @param sectorsPerFrame the most sectors per ATA request the target takes (a 0 on the wire
 *                        already turned into 2, as r11 says)
 * @param configString    the stored config string: opaque bytes, at most 1024
 */
public record ConfigInfo(int bufferCount, int firmwareVersion, int sectorsPerFrame, byte[] configString) {

    public ConfigInfo {
        configString = configString.clone();
    }

    static ConfigInfo of(ConfigMessage reply) {
        return new ConfigInfo(reply.bufferCount(), reply.firmwareVersion(), reply.effectiveSectorsPerFrame(),
                reply.configString());
    }

    /** A copy of the string's bytes. */
    @Override
    public byte[] configString() {
        return configString.clone();
    }

    /** The string decoded as UTF-8 (the encoding this project writes). */
    public String configText() {
        return new String(configString, StandardCharsets.UTF_8);
    }

    /** Printable ASCII quoted, anything else as hex: for messages. */
    public String configDisplay() {
        for (byte b : configString) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(configString);
            }
        }
        return '"' + new String(configString, StandardCharsets.US_ASCII) + '"';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigInfo c
                && bufferCount == c.bufferCount
                && firmwareVersion == c.firmwareVersion
                && sectorsPerFrame == c.sectorsPerFrame
                && Arrays.equals(configString, c.configString);
    }

    @Override
    public int hashCode() {
        return ((bufferCount * 31 + firmwareVersion) * 31 + sectorsPerFrame) * 31 + Arrays.hashCode(configString);
    }

    @Override
    public String toString() {
        return String.format("ConfigInfo[bufcnt %d, fw 0x%04x, %d sectors/frame, config %s]",
                bufferCount, firmwareVersion, sectorsPerFrame, configDisplay());
    }
}
