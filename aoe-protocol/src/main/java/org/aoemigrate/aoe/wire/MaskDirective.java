package org.aoemigrate.aoe.wire;

import java.util.Optional;

/**
 * One 8-byte Mac Mask List directive (r11 3.3): a reserved byte, DCmd, and a MAC.
 *
 * @param command the DCmd code, a {@link MaskDirectiveCommand} or an undefined value a target
 *                rejects with {@link MaskError#BAD_DIRECTIVE}
 * @param mac     the MAC to add or delete (or, in a response, a listed one)
 */
public record MaskDirective(int command, MacAddress mac) {

    public MaskDirective {
        WireCodes.u8("DCmd", command);
        if (mac == null) {
            throw new IllegalArgumentException("a mask directive needs a MAC");
        }
    }

    public static MaskDirective of(MaskDirectiveCommand command, MacAddress mac) {
        return new MaskDirective(command.code(), mac);
    }

    /** The DCmd, or empty for an undefined code. */
    public Optional<MaskDirectiveCommand> directiveCommand() {
        return MaskDirectiveCommand.fromCode(command);
    }
}
