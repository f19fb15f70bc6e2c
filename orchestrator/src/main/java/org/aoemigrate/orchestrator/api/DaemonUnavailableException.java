package org.aoemigrate.orchestrator.api;

import java.io.IOException;

/** No daemon answers on the socket; the message says which socket, why, and what to do, in one line. */
public final class DaemonUnavailableException extends IOException {

    private static final long serialVersionUID = 1L;

    public DaemonUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
