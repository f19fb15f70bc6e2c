package org.aoemigrate.aoe.initiator.cli;

import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * One benchmark run's figures.
 *
 * @param requestsPerSecond AoE request frames answered per second (an I/O of several frames is several requests)
 * @param cpuPercent        this process's CPU time over the wall time, in % of one core
 * @param cpuMicrosPerRequest this process's CPU time per answered AoE request
 */
record BenchResult(AoeAddress device, String operation, String pattern, int block, int window, double seconds,
        long bytes, double mibPerSecond, double iosPerSecond, double requestsPerSecond, long retransmissions,
        double cpuPercent, double cpuMicrosPerRequest, List<String> paths) {

    String text() {
        return String.format("%s %s %s, block %d B, window %d, %.1f s over %s: %.1f MiB/s, %.0f I/Os/s, %.0f requests/s,"
                + " %d retransmissions, CPU %.0f%% of a core (%.1f us per request)", device, pattern, operation, block,
                window, seconds, String.join(",", paths), mibPerSecond, iosPerSecond, requestsPerSecond, retransmissions,
                cpuPercent, cpuMicrosPerRequest);
    }
}
