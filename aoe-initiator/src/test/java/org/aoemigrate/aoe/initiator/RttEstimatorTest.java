package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    private static final RetransmitPolicy POLICY = RetransmitPolicy.DEFAULT
            .withTimeouts(Duration.ofMillis(250), Duration.ofMillis(1), Duration.ofSeconds(5));

    @Test
    void beforeAnyAnswerTheTimeoutComesFromTheInitialGuess() {
        RttEstimator rtt = new RttEstimator(POLICY);

        // 2 * 250 ms + 8 * 62.5 ms, as Linux starts
        assertThat(rtt.timeoutNanos()).isEqualTo(Duration.ofMillis(1000).toNanos());
    }

    @Test
    void steadyRoundTripsShrinkTheTimeoutToTwiceTheRtt() {
        RttEstimator rtt = new RttEstimator(POLICY);
        for (int i = 0; i < 200; i++) {
            rtt.sample(Duration.ofMillis(4).toNanos());
        }

        assertThat(rtt.smoothedRttNanos()).isEqualTo(Duration.ofMillis(4).toNanos());
        assertThat(rtt.timeoutNanos()).isBetween(Duration.ofMillis(8).toNanos(), Duration.ofMillis(9).toNanos());
    }

    @Test
    void jitterWidensTheTimeout() {
        RttEstimator steady = new RttEstimator(POLICY);
        RttEstimator jittery = new RttEstimator(POLICY);
        for (int i = 0; i < 200; i++) {
            steady.sample(Duration.ofMillis(5).toNanos());
            jittery.sample(Duration.ofMillis(i % 2 == 0 ? 2 : 8).toNanos());
        }

        assertThat(jittery.smoothedRttNanos()).isCloseTo(steady.smoothedRttNanos(), org.assertj.core.data.Offset.offset(1_000_000L));
        assertThat(jittery.timeoutNanos()).isGreaterThan(steady.timeoutNanos() + Duration.ofMillis(10).toNanos());
    }

    @Test
    void resendsBackOffExponentiallyUpToTheMaximum() {
        RttEstimator rtt = new RttEstimator(POLICY);
        rtt.sample(Duration.ofMillis(10).toNanos());
        long first = rtt.timeoutNanos(1);

        assertThat(rtt.timeoutNanos(2)).isEqualTo(2 * first);
        assertThat(rtt.timeoutNanos(3)).isEqualTo(4 * first);
        assertThat(rtt.timeoutNanos(60)).isEqualTo(POLICY.maxTimeout().toNanos());
    }

    @Test
    void theTimeoutNeverGoesBelowTheMinimum() {
        RttEstimator rtt = new RttEstimator(POLICY.withTimeouts(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofSeconds(1)));
        rtt.sample(1_000);

        assertThat(rtt.timeoutNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
    }
}
