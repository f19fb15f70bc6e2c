package org.aoemigrate.aoe.wire;

import java.util.Optional;

/**
 * AoE error codes (r11 2.4), sent in byte 15 of a response whose E flag is set. Codes outside
 * 1..6 exist only in other revisions; {@link #fromCode} returns empty for them.
 */
public enum AoeError {
    /** The command code is not one the target implements. */
    UNRECOGNIZED_COMMAND(1),
    /** An argument is out of range: a sector count over the maximum, an unknown subcommand. */
    BAD_ARGUMENT(2),
    /** The target cannot serve the device right now. */
    DEVICE_UNAVAILABLE(3),
    /** r11 3.2: a Config "set" found another string already stored. */
    CONFIG_STRING_PRESENT(4),
    /** The request carries a version the target does not speak. */
    UNSUPPORTED_VERSION(5),
    /** r11 3.4 (new in r11): the target is reserved to other initiators. */
    TARGET_RESERVED(6);

    private static final Object[] BY_CODE = WireCodes.table(values(), AoeError::code);

    private final int code;

    AoeError(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<AoeError> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
