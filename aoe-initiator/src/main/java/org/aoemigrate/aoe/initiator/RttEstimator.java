package org.aoemigrate.aoe.initiator;

/**
 * Round-trip time of one path and the retransmit timeout it implies (Jacobson/Karels, as the
 * Linux aoe driver computes it): {@code timeout = 2 * srtt + 8 * rttdev}, clamped to the
 * policy's bounds. The first sample replaces the initial guess outright (RFC 6298 2.2), so one
 * answer is enough to leave Linux's 250 ms start value behind. Not thread-safe: the owning
 * device's lock guards it.
 */
final class RttEstimator {

    private final long minTimeoutNanos;
    private final long maxTimeoutNanos;
    private double srtt;
    private double rttdev;
    private boolean sampled;

    RttEstimator(RetransmitPolicy policy) {
        this.minTimeoutNanos = policy.minTimeout().toNanos();
        this.maxTimeoutNanos = policy.maxTimeout().toNanos();
        this.srtt = policy.initialRtt().toNanos();
        this.rttdev = srtt / 4;
    }

    /**
     * Adds one measured round trip. Callers pass only answers to requests that were sent once
     * (Karn's rule): an answer after a retransmission cannot say which copy it answers.
     */
    void sample(long rttNanos) {
        if (!sampled) {
            srtt = rttNanos;
            rttdev = rttNanos / 2.0;
            sampled = true;
            return;
        }
        double error = rttNanos - srtt;
        srtt += error / 8;
        rttdev += (Math.abs(error) - rttdev) / 4;
    }

    /** The timeout for a first transmission. */
    long timeoutNanos() {
        long t = (long) (2 * srtt + 8 * rttdev);
        return Math.max(minTimeoutNanos, Math.min(maxTimeoutNanos, t));
    }

    /** The timeout for the {@code attempt}-th transmission (1 = first): doubled each time, capped. */
    long timeoutNanos(int attempt) {
        long t = timeoutNanos();
        for (int i = 1; i < attempt && t < maxTimeoutNanos; i++) {
            t <<= 1;
        }
        return Math.min(maxTimeoutNanos, t);
    }

    long smoothedRttNanos() {
        return (long) srtt;
    }
}
