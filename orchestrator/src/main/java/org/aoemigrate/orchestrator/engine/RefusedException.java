package org.aoemigrate.orchestrator.engine;

/** Carries a {@link Refusal} out of the preflight steps; never leaves the engine. */
final class RefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    RefusedException(PreflightCheck check, String reason) {
        super(reason, null, false, false);
        this.refusal = new Refusal(check, reason);
    }

    Refusal refusal() {
        return refusal;
    }
}
