package org.aoemigrate.orchestrator.engine.check;

/** The verdict of a destination check: passed, or one sentence saying what is wrong. */
public record CheckOutcome(boolean passed, String reason) {

    public static final CheckOutcome PASSED = new CheckOutcome(true, "");

    public static CheckOutcome failed(String reason) {
        return new CheckOutcome(false, reason);
    }
}
