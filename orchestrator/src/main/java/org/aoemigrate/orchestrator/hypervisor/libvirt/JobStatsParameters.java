package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.libvirt.DomainJobStats;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedLongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUintParameter;
import org.libvirt.TypedUlongParameter;

/**
 * Reads {@code virDomainGetJobStats}' typed parameters (libvirt-domain.h, VIR_DOMAIN_JOB_*) into
 * {@link JobStats}. libvirt leaves out what it does not know yet (no dirty rate before the first
 * pass, no downtime before the job completed), so a missing counter reads as 0.
 */
final class JobStatsParameters {

    /** virDomainJobType VIR_DOMAIN_JOB_NONE: no job, and the parameters are empty. */
    static final int JOB_NONE = 0;

    static final String TIME_ELAPSED = "time_elapsed";
    static final String DATA_TOTAL = "data_total";
    static final String DATA_PROCESSED = "data_processed";
    static final String DATA_REMAINING = "data_remaining";
    static final String MEMORY_DIRTY_RATE = "memory_dirty_rate";
    static final String MEMORY_PAGE_SIZE = "memory_page_size";
    static final String MEMORY_ITERATION = "memory_iteration";
    static final String DOWNTIME = "downtime";

    /** x86's page size, for a QEMU too old to report {@code memory_page_size}. */
    private static final long DEFAULT_PAGE_SIZE = 4096;

    private JobStatsParameters() {
    }

    /**
     * @param postCopy whether the job has switched to post-copy; the statistics do not say, the
     *                 source domain's paused reason does
     * @return empty when libvirt reports no job
     */
    static Optional<JobStats> parse(DomainJobStats stats, boolean postCopy) {
        if (stats.type == JOB_NONE) {
            return Optional.empty();
        }
        Map<String, Long> values = numbers(stats.stats);
        long pageSize = values.getOrDefault(MEMORY_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        OptionalLong downtime = values.containsKey(DOWNTIME) ? OptionalLong.of(values.get(DOWNTIME)) : OptionalLong.empty();
        return Optional.of(new JobStats(
                Duration.ofMillis(values.getOrDefault(TIME_ELAPSED, 0L)),
                values.getOrDefault(DATA_TOTAL, 0L),
                values.getOrDefault(DATA_PROCESSED, 0L),
                values.getOrDefault(DATA_REMAINING, 0L),
                values.getOrDefault(MEMORY_DIRTY_RATE, 0L) * pageSize,
                values.getOrDefault(MEMORY_ITERATION, 0L),
                downtime,
                postCopy));
    }

    /** The integer parameters by name; libvirt sends the counters as unsigned long long. */
    private static Map<String, Long> numbers(TypedParameter[] params) {
        Map<String, Long> values = new HashMap<>();
        for (TypedParameter p : params == null ? new TypedParameter[0] : params) {
            if (p instanceof TypedUlongParameter u) {
                values.put(p.field, u.value);
            } else if (p instanceof TypedLongParameter l) {
                values.put(p.field, l.value);
            } else if (p instanceof TypedUintParameter u) {
                values.put(p.field, Integer.toUnsignedLong(u.value));
            } else if (p instanceof TypedIntParameter i) {
                values.put(p.field, (long) i.value);
            }
        }
        return values;
    }
}
