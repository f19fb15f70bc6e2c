package org.aoemigrate.aoe.wire;

import java.util.Optional;

/** Reserve/Release RCmd (r11 3.4), frame byte 24. */
public enum ReserveCommand {
    /** Return the reserve list. */
    READ(0),
    /** Replace the list if it is empty or names the sender; otherwise error 6. */
    SET(1),
    /** Replace the list unconditionally; an empty list releases the target. */
    FORCE_SET(2);

    private static final Object[] BY_CODE = WireCodes.table(values(), ReserveCommand::code);

    private final int code;

    ReserveCommand(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<ReserveCommand> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
