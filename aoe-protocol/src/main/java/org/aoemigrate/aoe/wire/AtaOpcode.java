package org.aoemigrate.aoe.wire;

import java.util.Optional;

/**
 * The ATA commands an AoE target is expected to implement (frame byte 27 of a request). Any
 * other opcode is answered with status DRDY|ERR and error ABRT, not with an AoE error.
 */
public enum AtaOpcode {
    READ(0x20, false),
    READ_EXT(0x24, true),
    WRITE(0x30, false),
    WRITE_EXT(0x34, true),
    CHECK_POWER_MODE(0xE5, false),
    FLUSH_CACHE(0xE7, false),
    FLUSH_CACHE_EXT(0xEA, true),
    IDENTIFY(0xEC, false);

    private static final Object[] BY_CODE = WireCodes.table(values(), AtaOpcode::code);

    private final int code;
    private final boolean lba48;

    AtaOpcode(int code, boolean lba48) {
        this.code = code;
        this.lba48 = lba48;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /**
     * True for the EXT commands, which address 48 bits of LBA. The others use 28 bits and leave
     * lba3's high nibble to the Device register. As in vblade, the width follows the opcode, not
     * the AFlags E bit.
     */
    public boolean lba48() {
        return lba48;
    }

    /** True for the commands that move data from the initiator to the medium. */
    public boolean writes() {
        return this == WRITE || this == WRITE_EXT;
    }

    /** True for the commands that move sectors from the medium to the initiator. */
    public boolean reads() {
        return this == READ || this == READ_EXT;
    }

    /** The opcode for a wire value, or empty for one this code does not implement. */
    public static Optional<AtaOpcode> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
