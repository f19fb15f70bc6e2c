package org.aoemigrate.aoe.wire;

import java.util.Optional;

/** Query Config CCmd (r11 3.2), the low nibble of frame byte 29. */
public enum ConfigSubcommand {
    /** Read the config string; always answered. */
    READ(0),
    /** Answer only if the stored string equals the request's exactly; otherwise stay silent. */
    TEST(1),
    /** Answer only if the request's string is a prefix of the stored one; otherwise stay silent. */
    TEST_PREFIX(2),
    /** Store the string if none is stored (or the same one is); otherwise error 4. */
    SET(3),
    /** Store the string unconditionally; an empty string clears it. */
    FORCE_SET(4);

    private static final Object[] BY_CODE = WireCodes.table(values(), ConfigSubcommand::code);

    private final int code;

    ConfigSubcommand(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<ConfigSubcommand> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
