package org.aoemigrate.aoe.initiator;

import java.util.List;

/**
 * A snapshot of a device's counters.
 *
 * @param requests        frames sent for the first time (one per request frame; probes of down
 *                        paths included)
 * @param answers         requests answered
 * @param retransmissions frames sent again after a timeout (each with a new tag)
 * @param spuriousRetransmissions retransmissions whose first copy was answered after all (late,
 *                        not lost): a sign that the timeout is too short for this host's load
 * @param timeouts        requests that failed at the deadline
 * @param errors          requests the target refused (AoE error) or failed (ATA error)
 * @param staleReplies    replies to requests already answered or abandoned
 * @param paths           per path
 */
public record DeviceStats(
        long requests,
        long answers,
        long retransmissions,
        long spuriousRetransmissions,
        long timeouts,
        long errors,
        long staleReplies,
        List<PathStats> paths) {

    public DeviceStats {
        paths = List.copyOf(paths);
    }
}
