package org.aoemigrate.orchestrator.engine;

import java.time.Instant;

/** The engine's clock: real in the daemon, simulated in tests (sleeping advances the fake cluster). */
public interface Ticker {

    Instant now();

    void sleep(java.time.Duration duration) throws InterruptedException;

    /** The wall clock and {@link Thread#sleep}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(java.time.Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };
}
