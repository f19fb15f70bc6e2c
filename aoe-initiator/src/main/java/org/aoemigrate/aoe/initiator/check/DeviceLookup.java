package org.aoemigrate.aoe.initiator.check;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;

/**
 * Finds one device by asking in short rounds until it answers or the wait is over, so a device
 * that is there is found in one round, and a slow or lossy segment still gets the whole wait.
 */
public final class DeviceLookup {

    /** Every path of a device answers within a round: replies take microseconds to milliseconds on a segment. */
    static final Duration ROUND = Duration.ofMillis(300);

    private DeviceLookup() {
    }

    public static Optional<DiscoveredTarget> find(AoeInitiator initiator, AoeAddress address, Duration wait)
            throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration round = Duration.ofNanos(Math.max(1_000_000, Math.min(ROUND.toNanos(), left)));
            Optional<DiscoveredTarget> found = initiator.discover(address, round).stream().findFirst();
            if (found.isPresent() || System.nanoTime() >= deadline) {
                return found;
            }
        }
    }

    /** {@code 3 s}, {@code 0.5 s}: durations as messages show them. */
    public static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }
}
