package org.aoemigrate.aoe.initiator;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AoeInitiator} behaves.
 *
 * @param retransmit     timeouts, deadline, path health, window limit
 * @param discoveryWait  how long discovery collects answers (the query goes out three times
 *                       within it)
 * @param silenceTimeout how long a Config test (exact or prefix) waits before taking silence as
 *                       "no match" (r11 3.2: a target does not answer a test that fails); the
 *                       request is resent within that time, so a lost frame is not a mismatch
 */
public record InitiatorOptions(RetransmitPolicy retransmit, Duration discoveryWait, Duration silenceTimeout) {

    /** Linux-like retransmission, 1 s discovery, 1 s silence timeout. */
    public static final InitiatorOptions DEFAULT =
            new InitiatorOptions(RetransmitPolicy.DEFAULT, Duration.ofSeconds(1), Duration.ofSeconds(1));

    public InitiatorOptions {
        Objects.requireNonNull(retransmit, "retransmit");
        positive("discoveryWait", discoveryWait);
        positive("silenceTimeout", silenceTimeout);
    }

    public InitiatorOptions withRetransmit(RetransmitPolicy value) {
        return new InitiatorOptions(value, discoveryWait, silenceTimeout);
    }

    public InitiatorOptions withDiscoveryWait(Duration value) {
        return new InitiatorOptions(retransmit, value, silenceTimeout);
    }

    public InitiatorOptions withSilenceTimeout(Duration value) {
        return new InitiatorOptions(retransmit, discoveryWait, value);
    }

    /** Shorthand for {@code withRetransmit(retransmit().withDeadline(value))}. */
    public InitiatorOptions withDeadline(Duration value) {
        return withRetransmit(retransmit.withDeadline(value));
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
