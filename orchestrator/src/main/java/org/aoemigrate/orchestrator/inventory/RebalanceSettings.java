package org.aoemigrate.orchestrator.inventory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the inventory's {@code rebalance:} section says about moving guests for balance (drain
 * and rebalance use it; a single {@code aoemigrate VM HOST} does not).
 *
 * @param schedule     when the daemon runs a rebalance by itself; empty: only on request
 * @param holdTime     a guest moved less than this long ago is left where it is by a rebalance
 * @param pinned       guests a rebalance or drain never moves
 * @param antiAffinity groups of guests that must not share a host, by group name
 */
public record RebalanceSettings(Optional<RebalanceSchedule> schedule, Duration holdTime, Set<String> pinned,
        Map<String, Set<String>> antiAffinity) {

    public static final RebalanceSettings DEFAULT = new RebalanceSettings(Optional.empty(), Duration.ofHours(1), Set.of(),
            Map.of());

    public RebalanceSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(holdTime, "holdTime");
        pinned = Set.copyOf(pinned);
        antiAffinity = antiAffinity.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> Set.copyOf(e.getValue())));
    }

    /** The anti-affinity groups {@code guest} belongs to. */
    public Set<String> groupsOf(String guest) {
        return antiAffinity.entrySet().stream().filter(e -> e.getValue().contains(guest)).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }
}
