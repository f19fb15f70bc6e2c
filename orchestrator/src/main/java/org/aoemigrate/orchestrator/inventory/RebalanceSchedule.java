package org.aoemigrate.orchestrator.inventory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When the daemon rebalances by itself: the inventory's {@code rebalance.schedule}.
 *
 * @param interval the time from one run's start to the next
 * @param window   the daily hours runs may start in, in the daemon's time zone; empty: any time
 * @param maxMoves at most this many moves per run
 */
public record RebalanceSchedule(Duration interval, Optional<TimeWindow> window, int maxMoves) {

    public RebalanceSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(window, "window");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval must be positive, not " + interval);
        }
        if (maxMoves < 1) {
            throw new IllegalArgumentException("maxMoves must be 1 or more, not " + maxMoves);
        }
    }

    /** Is a run due at {@code now}, the last one having started at {@code lastRun} (empty: never)? */
    public boolean due(Instant now, Optional<Instant> lastRun, ZoneId zone) {
        boolean intervalOver = lastRun.map(last -> !now.isBefore(last.plus(interval))).orElse(true);
        return intervalOver && window.map(w -> w.contains(now.atZone(zone).toLocalTime())).orElse(true);
    }
}
