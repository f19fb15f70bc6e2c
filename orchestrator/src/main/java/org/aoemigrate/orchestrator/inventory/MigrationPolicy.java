package org.aoemigrate.orchestrator.inventory;

import java.time.Duration;
import java.util.List;

/**
 * How one live migration is driven. The defaults follow oVirt's "minimal downtime" policy:
 * start at 100 ms of allowed downtime and step up on each stalled iteration.
 *
 * @param bandwidthMiBps  migration bandwidth cap; 0 leaves libvirt's default
 * @param maxDowntime     allowed downtime at the start
 * @param downtimeSteps   the allowed downtime after the 1st, 2nd, ... stall (a stall: an
 *                        iteration ends with no less data remaining than the best so far)
 * @param autoConverge    let QEMU throttle the guest's vCPUs when it dirties memory too fast
 * @param postCopy        opt-in: when the steps are used up, switch to post-copy instead of the
 *                        timeout action. A network failure in post-copy loses the guest.
 * @param postCopyBandwidthMiBps the cap once in post-copy (libvirt's {@code bandwidth.postcopy}:
 *                        the pre-copy cap does not apply then); 0 leaves it unlimited
 * @param timeout         the whole copy's time budget
 * @param onTimeout       what to do when the budget or the steps run out
 * @param cutover         how the disks change owner
 */
public record MigrationPolicy(long bandwidthMiBps, Duration maxDowntime, List<Duration> downtimeSteps,
        boolean autoConverge, boolean postCopy, long postCopyBandwidthMiBps, Duration timeout, TimeoutAction onTimeout,
        CutoverMode cutover) {

    public static final MigrationPolicy DEFAULT = new MigrationPolicy(0, Duration.ofMillis(100),
            List.of(Duration.ofMillis(150), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(400),
                    Duration.ofMillis(500)),
            true, false, 0, Duration.ofMinutes(10), TimeoutAction.ABORT, CutoverMode.FAST);

    public MigrationPolicy {
        downtimeSteps = List.copyOf(downtimeSteps);
    }

    public MigrationPolicy withCutover(CutoverMode mode) {
        return new MigrationPolicy(bandwidthMiBps, maxDowntime, downtimeSteps, autoConverge, postCopy, postCopyBandwidthMiBps,
                timeout, onTimeout, mode);
    }

    public MigrationPolicy withTimeout(Duration budget, TimeoutAction action) {
        return new MigrationPolicy(bandwidthMiBps, maxDowntime, downtimeSteps, autoConverge, postCopy, postCopyBandwidthMiBps,
                budget, action, cutover);
    }
}
