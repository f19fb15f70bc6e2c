package org.aoemigrate.aoe.initiator;

import org.aoemigrate.aoe.wire.AoeError;

/**
 * AoE error 4 (r11 3.2): a Config "set" found a different string already stored, so the
 * target kept it. The reply carries the stored string.
 */
public final class ConfigStringPresentException extends AoeErrorException {

    private static final long serialVersionUID = 1L;

    private final ConfigInfo present;

    public ConfigStringPresentException(AoeAddress device, String operation, ConfigInfo present) {
        super(device, operation, AoeError.CONFIG_STRING_PRESENT.code(),
                "the target already holds config string " + present.configDisplay()
                        + "; force-set it to replace that string");
        this.present = present;
    }

    /** The target's answer, with the string it keeps. */
    public ConfigInfo present() {
        return present;
    }
}
