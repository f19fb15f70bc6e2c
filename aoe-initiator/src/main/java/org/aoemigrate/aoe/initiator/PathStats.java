package org.aoemigrate.aoe.initiator;

import java.time.Duration;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A snapshot of one path of a device.
 *
 * @param link        the local interface
 * @param target      the target MAC
 * @param up          false while the path is considered dead (no answers; being probed)
 * @param window      requests it may have in flight now (congestion window)
 * @param outstanding requests in flight on it now
 * @param smoothedRtt the round-trip estimate
 * @param timeout     the retransmit timeout it implies for a first transmission
 * @param sent        frames sent on it, retransmissions included
 * @param answered    answers received on it
 * @param timeouts    requests on it that timed out and were resent
 * @param sendErrors  sends the interface refused (e.g. link down)
 */
public record PathStats(
        String link,
        MacAddress target,
        boolean up,
        int window,
        int outstanding,
        Duration smoothedRtt,
        Duration timeout,
        long sent,
        long answered,
        long timeouts,
        long sendErrors) {
}
