package org.aoemigrate.aoe.wire;

import java.util.Optional;

/** DCmd of one Mac Mask List directive (r11 3.3). Responses list the MACs with NOP. */
public enum MaskDirectiveCommand {
    NOP(0),
    ADD(1),
    DELETE(2);

    private static final Object[] BY_CODE = WireCodes.table(values(), MaskDirectiveCommand::code);

    private final int code;

    MaskDirectiveCommand(int code) {
        this.code = code;
    }

    /** The value on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire value, or empty for a value r11 does not define. */
    public static Optional<MaskDirectiveCommand> fromCode(int code) {
        return WireCodes.find(BY_CODE, code);
    }
}
