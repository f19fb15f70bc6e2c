package org.aoemigrate.aoe.initiator;

import java.time.Duration;
import java.util.Objects;

/**
 * When to resend a request, when to give up on a path and when to give up on the request.
 *
 * <p>AoE leaves retransmission to the client (r11 1.1: "each message ... should be considered
 * unique and unreliable"). The defaults follow the Linux aoe driver (v85): the timeout is
 * {@code 2 * srtt + 8 * rttdev} (Jacobson/Karels), a target port that has not answered for 10 s
 * is tainted (HARD_SCORN_SECS), and a request that has waited {@code aoe_deadsecs} = 180 s fails.
 *
 * @param initialRtt         the round-trip estimate before the first answer (Linux: 250 ms)
 * @param minTimeout         the retransmit timeout never goes below this; keeps a GC pause or a
 *                           busy CPU from turning into a burst of spurious retransmissions. 100 ms:
 *                           with 20 ms, 85% of the 1,300-1,900 retransmissions per 4 s sequential
 *                           read on a loaded 2-vCPU host were spurious (the first copy answered
 *                           late, each one collapsing the window); with 100 ms there were none and
 *                           throughput doubled (bench/aoe-throughput.sh, against vblade and ours)
 * @param maxTimeout         the retransmit timeout, exponential back-off included, never goes
 *                           above this
 * @param minWriteTimeout    a write is never resent before this. A stateless target executes
 *                           every copy of a write, and the new tag defeats de-duplication: a
 *                           copy that was only delayed could land after a newer write to the
 *                           same sectors and undo it. Dropped frames are harmless; waiting at
 *                           least this long makes "delayed, not dropped" unlikely
 * @param deadline           a request that has gone unanswered this long fails with
 *                           {@link AoeTimeoutException}; a transfer that made no progress this
 *                           long fails too (Linux {@code aoe_deadsecs})
 * @param pathDownAfter      a path whose oldest request has waited this long is marked down
 *                           (Linux taints a target port after 10 s, or deadline / number of
 *                           ports if that is shorter)
 * @param pathDownAfterLosses a path that lost this many requests in a row with no answer in
 *                           between is marked down at once (Linux ejects an interface after
 *                           2 * nframes losses; a lower number moves I/O off a dead cable
 *                           faster)
 * @param probeInterval      how often a down path is probed with a Query Config; it is up
 *                           again when it answers
 * @param maxOutstanding     the most requests in flight to one target port, whatever its
 *                           buffer count (Linux {@code aoe_maxout} = 64)
 */
public record RetransmitPolicy(
        Duration initialRtt,
        Duration minTimeout,
        Duration maxTimeout,
        Duration minWriteTimeout,
        Duration deadline,
        Duration pathDownAfter,
        int pathDownAfterLosses,
        Duration probeInterval,
        int maxOutstanding) {

    /** The defaults described above. */
    public static final RetransmitPolicy DEFAULT = new RetransmitPolicy(
            Duration.ofMillis(250),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofMillis(50),
            Duration.ofSeconds(180),
            Duration.ofSeconds(10),
            4,
            Duration.ofSeconds(1),
            64);

    public RetransmitPolicy {
        positive("initialRtt", initialRtt);
        positive("minTimeout", minTimeout);
        positive("maxTimeout", maxTimeout);
        Objects.requireNonNull(minWriteTimeout, "minWriteTimeout");
        positive("deadline", deadline);
        positive("pathDownAfter", pathDownAfter);
        positive("probeInterval", probeInterval);
        if (maxTimeout.compareTo(minTimeout) < 0) {
            throw new IllegalArgumentException("maxTimeout " + maxTimeout + " is below minTimeout " + minTimeout
                    + "; give a maximum at least as large as the minimum");
        }
        if (pathDownAfterLosses < 1) {
            throw new IllegalArgumentException("pathDownAfterLosses must be at least 1, was " + pathDownAfterLosses);
        }
        if (maxOutstanding < 1 || maxOutstanding > 0xFFFF) {
            throw new IllegalArgumentException("maxOutstanding must be 1..65535, was " + maxOutstanding);
        }
    }

    public RetransmitPolicy withDeadline(Duration value) {
        return new RetransmitPolicy(initialRtt, minTimeout, maxTimeout, minWriteTimeout, value, pathDownAfter,
                pathDownAfterLosses, probeInterval, maxOutstanding);
    }

    public RetransmitPolicy withMinWriteTimeout(Duration value) {
        return new RetransmitPolicy(initialRtt, minTimeout, maxTimeout, value, deadline, pathDownAfter,
                pathDownAfterLosses, probeInterval, maxOutstanding);
    }

    public RetransmitPolicy withTimeouts(Duration initial, Duration min, Duration max) {
        return new RetransmitPolicy(initial, min, max, minWriteTimeout, deadline, pathDownAfter,
                pathDownAfterLosses, probeInterval, maxOutstanding);
    }

    public RetransmitPolicy withPathDown(Duration after, int afterLosses, Duration probe) {
        return new RetransmitPolicy(initialRtt, minTimeout, maxTimeout, minWriteTimeout, deadline, after,
                afterLosses, probe, maxOutstanding);
    }

    public RetransmitPolicy withMaxOutstanding(int value) {
        return new RetransmitPolicy(initialRtt, minTimeout, maxTimeout, minWriteTimeout, deadline, pathDownAfter,
                pathDownAfterLosses, probeInterval, value);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
