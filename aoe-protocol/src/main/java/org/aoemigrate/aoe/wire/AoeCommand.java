package org.aoemigrate.aoe.wire;

import java.util.Optional;

/**
 * AoE command codes (r11 2.1), frame byte 19. Codes 0xF0..0xFF are vendor-specific
 * ({@link #isVendor}); every other code outside 0..3 is unknown. Both decode to an
 * {@link UnknownCommandMessage}, which a target answers with {@link AoeError#UNRECOGNIZED_COMMAND}.
 */
public enum AoeCommand {
    ATA(0),
    QUERY_CONFIG(1),
    MAC_MASK(2),
    RESERVE_RELEASE(3);

    /** The first vendor-specific command code. */
    public static final int VENDOR_MIN = 0xF0;

    private static final Object[] BY_CODE = WireCodes.table(values(), AoeCommand::code);

    private final int code;

    AoeCommand(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The command for a wire value, or empty for an unknown or vendor command. */
    public static Optional<AoeCommand> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }

    /** True for the vendor-specific range 0xF0..0xFF. */
    public static boolean isVendor(int code) {
        return code >= VENDOR_MIN && code <= 0xFF;
    }
}
