package org.aoemigrate.aoe.initiator;

import java.io.IOException;

/**
 * Something went wrong talking to an AoE device: the base of the initiator's failures. The
 * message names the device and the operation; subclasses carry the details a caller may act on.
 */
public class AoeException extends IOException {

    private static final long serialVersionUID = 1L;

    public AoeException(String message) {
        super(message);
    }

    public AoeException(String message, Throwable cause) {
        super(message, cause);
    }
}
