package org.aoemigrate.aoe.initiator.check;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * Finds one device by asking in short rounds until it answers or the wait is over, so a device
 * that is there is found in one round, and a slow or lossy segment still gets the whole wait.
 */
public final class DeviceLookup {

    /** Every path of a device answers within a round: replies take microseconds to milliseconds on a segment. */
    static final Duration ROUND = Duration.ofMillis(300);

    private DeviceLookup() {
    }

    /**
     * How long a round goes on after every expected answer is in. Every target on a segment gets
     * the same broadcast query at once and answers within microseconds to milliseconds; one more
     * target answering for the same address (the stranger the check looks for) is heard in this
     * time as it would be in the rest of a round.
     */
    static final Duration STRANGER_GRACE = Duration.ofMillis(50);

    public static Optional<DiscoveredTarget> find(AoeInitiator initiator, AoeAddress address, Duration wait)
            throws IOException {
        return find(initiator, address, wait, Set.of());
    }

    /**
     * As {@link #find(AoeInitiator, AoeAddress, Duration)}; with {@code expected} target MACs, a
     * round ends {@link #STRANGER_GRACE} after each of them and each interface has answered,
     * instead of at its end. With none expected, or one silent, rounds run their whole length.
     */
    public static Optional<DiscoveredTarget> find(AoeInitiator initiator, AoeAddress address, Duration wait,
            Set<MacAddress> expected) throws IOException {
        return find(initiator, address, wait, expected, device -> { });
    }

    /**
     * As {@link #find(AoeInitiator, AoeAddress, Duration, Set)}, and hands {@code allIn} the device
     * as it is when every expected MAC has answered on every interface, at the start of the
     * {@link #STRANGER_GRACE} (on the thread that called this, holding the discovery's lock: it must
     * return at once): a caller may use the device meanwhile, and still learns from the result
     * whether anything else answered before the grace ended.
     */
    public static Optional<DiscoveredTarget> find(AoeInitiator initiator, AoeAddress address, Duration wait,
            Set<MacAddress> expected, Consumer<DiscoveredTarget> allIn) throws IOException {
        Predicate<List<DiscoveredTarget>> enough = found -> {
            Optional<DiscoveredTarget> complete = expected.isEmpty() ? Optional.empty() : found.stream()
                    .filter(t -> t.address().equals(address))
                    .filter(t -> everyPathAnswered(t, expected, initiator.linkNames())).findFirst();
            complete.ifPresent(allIn);
            return complete.isPresent();
        };
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration round = Duration.ofNanos(Math.max(1_000_000, Math.min(ROUND.toNanos(), left)));
            Optional<DiscoveredTarget> found = initiator.discover(address, round, enough, STRANGER_GRACE).stream().findFirst();
            if (found.isPresent() || System.nanoTime() >= deadline) {
                return found;
            }
        }
    }

    private static boolean everyPathAnswered(DiscoveredTarget t, Set<MacAddress> expected, List<String> links) {
        Set<MacAddress> answered = t.paths().stream().map(TargetPath::target).collect(Collectors.toSet());
        Set<String> heardOn = t.paths().stream().map(TargetPath::link).collect(Collectors.toSet());
        return answered.containsAll(expected) && heardOn.containsAll(links);
    }

    /** {@code 3 s}, {@code 0.5 s}: durations as messages show them. */
    public static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }
}
