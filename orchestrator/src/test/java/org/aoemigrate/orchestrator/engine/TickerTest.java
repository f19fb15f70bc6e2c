package org.aoemigrate.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TickerTest {

    @Test
    void theSystemClocksPollSleepEndsWhenTheJobDoes() throws Exception {
        CompletableFuture<Void> job = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> job.complete(null));

        long start = System.nanoTime();
        Ticker.SYSTEM.sleep(Duration.ofSeconds(20), job);

        assertThat(job).isDone();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aFailedJobEndsTheSleepWithoutThrowing() throws Exception {
        CompletableFuture<Void> job = CompletableFuture.failedFuture(new IllegalStateException("migration failed"));

        long start = System.nanoTime();
        Ticker.SYSTEM.sleep(Duration.ofSeconds(20), job);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aJobStillRunningSleepsTheWholeInterval() throws Exception {
        long start = System.nanoTime();
        Ticker.SYSTEM.sleep(Duration.ofMillis(200), new CompletableFuture<Void>());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
