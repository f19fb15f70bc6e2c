package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.aoemigrate.orchestrator.api.ProgressReport.JobProgress;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long MIB = 1 << 20;

    @Test
    void theLineShowsSentRemainingTheMeasuredRateEtaAndIteration() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()));
        bar.next(new JobProgress(1000, 100 * MIB, 10 * MIB, 90 * MIB, 0, 1, false));

        // 40 MiB more in 2 s: 20 MiB/s measured between events (averaged with the first 10 MiB/s)
        String line = bar.next(new JobProgress(3000, 100 * MIB, 50 * MIB, 50 * MIB, 0, 2, false));

        assertThat(line).isEqualTo("[##########..........]  50%  50.0 MiB sent, 50.0 MiB left, 15.0 MiB/s, ETA 3 s,"
                + " iteration 2");
    }

    @Test
    void redrawingOverALongerLineBlanksItsTailAndClearLeavesAnEmptyLine() {
        StringWriter err = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(err));
        bar.update(new JobProgress(1000, 2000 * MIB, 1000 * MIB, 1000 * MIB, 0, 1, true));
        int first = err.toString().length() - 1;
        bar.update(new JobProgress(2000, 2000 * MIB, 1000 * MIB + 1, 999 * MIB, 0, 1, false));
        bar.clear();

        String[] frames = err.toString().split("\r", -1);
        assertThat(frames[1]).endsWith(", post-copy");
        assertThat(frames[2]).hasSize(first);
        assertThat(frames[3]).isBlank().hasSizeGreaterThanOrEqualTo(frames[2].stripTrailing().length());
        assertThat(frames[4]).isEmpty();
    }
}
