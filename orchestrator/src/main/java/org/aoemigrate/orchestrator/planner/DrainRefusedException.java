package org.aoemigrate.orchestrator.planner;

/**
 * A host cannot be drained: one of its guests cannot go anywhere else. Thrown before any move is
 * planned, so nothing has moved.
 */
public final class DrainRefusedException extends Exception {

    private final String host;
    private final String guest;
    private final String reason;

    DrainRefusedException(String host, String guest, String reason) {
        super("cannot drain " + host + ": " + guest + " " + reason);
        this.host = host;
        this.guest = guest;
        this.reason = reason;
    }

    /** The host that was to be drained. */
    public String host() {
        return host;
    }

    /** The guest that cannot leave it. */
    public String guest() {
        return guest;
    }

    /** Why, in words an operator can act on (the guest's name is not repeated). */
    public String reason() {
        return reason;
    }
}
