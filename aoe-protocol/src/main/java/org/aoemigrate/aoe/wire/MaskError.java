package org.aoemigrate.aoe.wire;

import java.util.Optional;

/** Mac Mask List MError (r11 3.3), frame byte 26 of a response. */
public enum MaskError {
    OK(0),
    UNSPECIFIED(1),
    /** A directive had an unknown DCmd; the directive count holds its index. */
    BAD_DIRECTIVE(2),
    /** The list had no room for an add; the directive count holds its index. */
    LIST_FULL(3);

    private static final Object[] BY_CODE = WireCodes.table(values(), MaskError::code);

    private final int code;

    MaskError(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<MaskError> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
