package org.aoemigrate.orchestrator.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The engine's clock: real in the daemon, simulated in tests (sleeping advances the fake cluster). */
public interface Ticker {

    Instant now();

    void sleep(Duration duration) throws InterruptedException;

    /**
     * Sleeps {@code duration}, or less if {@code done} completes first, so a loop polling a job
     * notices its end at once instead of up to a poll interval later. The default sleeps the whole
     * time (a simulated clock moves only when slept on).
     */
    default void sleep(Duration duration, CompletableFuture<?> done) throws InterruptedException {
        sleep(duration);
    }

    /** The wall clock and {@link Thread#sleep}. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public void sleep(Duration duration, CompletableFuture<?> done) throws InterruptedException {
            try {
                done.get(duration.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | CancellationException | TimeoutException e) {
                // how the job ended (or that it goes on) is the caller's to read from the future
            }
        }
    };
}
