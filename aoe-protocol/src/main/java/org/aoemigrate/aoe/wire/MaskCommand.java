package org.aoemigrate.aoe.wire;

import java.util.Optional;

/** Mac Mask List MCmd (r11 3.3), frame byte 25. */
public enum MaskCommand {
    READ(0),
    /** Apply the directives in order, then return the list. */
    EDIT(1);

    private static final Object[] BY_CODE = WireCodes.table(values(), MaskCommand::code);

    private final int code;

    MaskCommand(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<MaskCommand> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
