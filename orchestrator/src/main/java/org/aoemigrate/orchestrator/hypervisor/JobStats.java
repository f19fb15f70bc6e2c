package org.aoemigrate.orchestrator.hypervisor;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A migration job's statistics ({@code virDomainGetJobStats}): enough for progress, stall
 * detection and the result.
 *
 * @param elapsed              time since the job started
 * @param dataTotal            bytes to send in all (memory, plus what was dirtied again)
 * @param dataProcessed        bytes sent so far
 * @param dataRemaining        bytes still to send
 * @param dirtyRateBytesPerSec memory the guest dirties per second ({@code memory_dirty_rate} times the page size)
 * @param iteration            pre-copy passes over memory so far ({@code memory_iteration})
 * @param downtime             the actual downtime, in the completed job's statistics only
 * @param postCopy             the job has switched to post-copy
 */
public record JobStats(Duration elapsed, long dataTotal, long dataProcessed, long dataRemaining,
        long dirtyRateBytesPerSec, long iteration, OptionalLong downtimeMs, boolean postCopy) {
}
