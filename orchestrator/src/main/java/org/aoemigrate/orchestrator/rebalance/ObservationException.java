package org.aoemigrate.orchestrator.rebalance;

/** The cluster cannot be planned on as it is; the message says why and what to do. */
public final class ObservationException extends Exception {

    public ObservationException(String message) {
        super(message);
    }
}
