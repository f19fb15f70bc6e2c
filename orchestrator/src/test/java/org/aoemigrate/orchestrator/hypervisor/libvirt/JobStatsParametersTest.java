package org.aoemigrate.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.junit.jupiter.api.Test;
import org.libvirt.DomainJobStats;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

class JobStatsParametersTest {

    /** virDomainJobType. */
    private static final int UNBOUNDED = 2;
    private static final int COMPLETED = 3;

    @Test
    void aRunningMigrationsCountersBecomeJobStats() {
        // what libvirt 9.0 / QEMU 7.2 report on the source during pre-copy (a subset)
        DomainJobStats raw = new DomainJobStats(UNBOUNDED, new TypedParameter[] {
            new TypedIntParameter("operation", 5),
            new TypedUlongParameter("time_elapsed", 1354),
            new TypedUlongParameter("data_total", 134_750_208),
            new TypedUlongParameter("data_processed", 53_910_266),
            new TypedUlongParameter("data_remaining", 52_940_800),
            new TypedUlongParameter("memory_dirty_rate", 250),
            new TypedUlongParameter("memory_page_size", 4096),
            new TypedUlongParameter("memory_iteration", 2),
            new TypedStringParameter("errmsg", "ignored"),
        });

        assertThat(JobStatsParameters.parse(raw, false)).contains(new JobStats(Duration.ofMillis(1354), 134_750_208,
                53_910_266, 52_940_800, 250 * 4096, 2, OptionalLong.empty(), false));
    }

    @Test
    void theCompletedJobCarriesTheDowntime() {
        DomainJobStats raw = new DomainJobStats(COMPLETED, new TypedParameter[] {
            new TypedUlongParameter("time_elapsed", 1501),
            new TypedUlongParameter("downtime", 152),
            new TypedUlongParameter("data_processed", 71_930_000),
        });

        JobStats stats = JobStatsParameters.parse(raw, false).orElseThrow();

        assertThat(stats.downtimeMs()).hasValue(152);
        assertThat(stats.dataProcessed()).isEqualTo(71_930_000);
        assertThat(stats.dataRemaining()).isZero();
    }

    @Test
    void withoutAPageSizeTheDirtyRateIsInFourKiBPages() {
        DomainJobStats raw = new DomainJobStats(UNBOUNDED, new TypedParameter[] {
            new TypedUlongParameter("memory_dirty_rate", 10),
        });

        assertThat(JobStatsParameters.parse(raw, true).orElseThrow())
                .satisfies(s -> assertThat(s.dirtyRateBytesPerSec()).isEqualTo(40_960))
                .satisfies(s -> assertThat(s.postCopy()).isTrue());
    }

    @Test
    void noJobIsNoStats() {
        assertThat(JobStatsParameters.parse(new DomainJobStats(JobStatsParameters.JOB_NONE, new TypedParameter[0]), false))
                .isEmpty();
    }
}
