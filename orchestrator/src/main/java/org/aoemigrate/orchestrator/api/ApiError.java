package org.aoemigrate.orchestrator.api;

/**
 * A request the daemon could not serve. Codes: {@code bad_request} (a missing or wrong field),
 * {@code not_found} (no such migration to abort), {@code recovering} (a move, or a request about
 * a migration being settled, while the daemon settles at start what a crash left open: ask again
 * once {@code status} lists nothing under {@code recovering}), {@code internal} (the daemon
 * failed; its log says more).
 */
public record ApiError(String code, String message) {

    public static final String BAD_REQUEST = "bad_request";
    public static final String NOT_FOUND = "not_found";
    public static final String RECOVERING = "recovering";
    public static final String INTERNAL = "internal";
}
