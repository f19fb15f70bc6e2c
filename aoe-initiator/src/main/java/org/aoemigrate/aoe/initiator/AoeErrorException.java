package org.aoemigrate.aoe.initiator;

import java.util.Optional;
import org.aoemigrate.aoe.wire.AoeError;

/**
 * The target answered with the E flag set (r11 2.4): it refused the request as a protocol
 * matter, not as a disk error. Linux only logs these and retries until its deadline; this
 * initiator fails the operation at once, because retrying a refusal cannot succeed.
 */
public class AoeErrorException extends AoeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    public AoeErrorException(AoeAddress device, String operation, int code) {
        this(device, operation, code, "");
    }

    protected AoeErrorException(AoeAddress device, String operation, int code, String advice) {
        super(device + " refused " + operation + " with AoE error " + code + " (" + describe(code) + ")"
                + (advice.isEmpty() ? "" : "; " + advice));
        this.code = code;
    }

    /** The error code from byte 15 of the reply. */
    public int code() {
        return code;
    }

    /** The r11 meaning of {@link #code()}, or empty for a code r11 does not define. */
    public Optional<AoeError> error() {
        return AoeError.fromCode(code);
    }

    static String describe(int code) {
        return AoeError.fromCode(code)
                .map(EnumWords::of)
                .orElse("not defined by AoE r11");
    }
}
