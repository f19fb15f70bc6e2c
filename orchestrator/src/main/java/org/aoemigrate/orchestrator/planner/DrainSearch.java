package org.aoemigrate.orchestrator.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Places every guest of a host elsewhere, largest first (first-fit decreasing's order: the big
 * guests are the hard ones to place, so they choose while there is most room), each where it
 * leaves the best score. Refuses, before anything moves, when a guest may not move or has nowhere
 * to go, and says why.
 */
final class DrainSearch {

    private static final double GIB = 1024.0 * 1024 * 1024;
    /** How many host names a refusal lists per kind of obstacle before it just counts them. */
    private static final int NAMED_HOSTS = 3;

    private final Placement placement;
    private final PlannerSettings settings;

    DrainSearch(Cluster cluster, PlannerSettings settings) {
        this.placement = new Placement(cluster, settings);
        this.settings = settings;
    }

    DrainPlan run(String hostName) throws DrainRefusedException {
        int drained = IntStream.range(0, placement.hostCount()).filter(h -> placement.host(h).name().equals(hostName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no host named " + hostName + " among the "
                        + placement.hostCount() + " observed hosts"));
        placement.stopTaking(drained);
        int[] leaving = Arrays.stream(placement.residents(drained)).boxed()
                .sorted(Comparator.comparingLong((Integer g) -> -placement.guest(g).memoryBytes())
                        .thenComparingDouble(g -> -placement.guest(g).cpuCores())
                        .thenComparing(g -> placement.guest(g).name()))
                .mapToInt(Integer::intValue).toArray();
        for (int g : leaving) {
            ObservedGuest guest = placement.guest(g);
            if (guest.pinned()) {
                throw new DrainRefusedException(hostName, guest.name(), "is pinned to " + hostName
                        + ": unpin it, or shut it down, before draining the host");
            }
            if (!guest.aoeDisksOnly()) {
                throw new DrainRefusedException(hostName, guest.name(), "has a disk that is not on AoE, so it cannot"
                        + " live-migrate: shut it down, or move its disks to AoE, before draining the host");
            }
        }
        double scoreBefore = placement.score();
        List<Move> moves = new ArrayList<>();
        for (int g : leaving) {
            int destination = bestDestination(g);
            if (destination < 0) {
                throw new DrainRefusedException(hostName, placement.guest(g).name(), nowhereToGo(g, drained, moves.size()));
            }
            moves.add(placement.move(g, destination, MoveReason.DRAIN));
        }
        return new DrainPlan(hostName, moves, scoreBefore, placement.score());
    }

    /** The host that takes guest {@code g} with the best score after, or -1 if none can. */
    private int bestDestination(int g) {
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int to = 0; to < placement.hostCount(); to++) {
            if (placement.takesGuests(to) && placement.hasRoom(g, to)) {
                double after = placement.scoreAfter(g, to);
                if (after < bestScore && placement.misfit(g, to) == null) {
                    best = to;
                    bestScore = after;
                }
            }
        }
        return best;
    }

    /** Why no host takes guest {@code g}: each obstacle, with how many hosts it stops and the nearest miss. */
    private String nowhereToGo(int g, int drained, int placedBefore) {
        ObservedGuest guest = placement.guest(g);
        String size = String.format("(%.1f GiB, %d vCPUs, %.2f cores in use)", guest.memoryBytes() / GIB, guest.vcpus(),
                guest.cpuCores());
        if (placement.hostCount() == 1) {
            return size + " has nowhere to go: " + placement.host(drained).name() + " is the only host";
        }
        Map<Misfit, List<Integer>> blocked = new EnumMap<>(Misfit.class);
        for (int h = 0; h < placement.hostCount(); h++) {
            if (h != drained) {
                blocked.computeIfAbsent(placement.misfit(g, h), k -> new ArrayList<>()).add(h);
            }
        }
        String obstacles = blocked.entrySet().stream().map(e -> obstacle(g, e.getKey(), e.getValue()))
                .collect(Collectors.joining("; "));
        String after = placedBefore == 0 ? "" : " once the " + placedBefore + " larger guests before it are placed";
        return size + " fits on no other host" + after + ": " + obstacles;
    }

    private String obstacle(int g, Misfit misfit, List<Integer> hosts) {
        ObservedGuest guest = placement.guest(g);
        boolean one = hosts.size() == 1;
        String count = one ? "1 host" : hosts.size() + " hosts";
        return switch (misfit) {
            case SAME_HOST -> throw new IllegalStateException("the drained host is not a candidate");
            case TAKES_NO_GUESTS -> count + " in maintenance (" + names(hosts) + ")";
            case CPU_MODEL -> count + " cannot run its CPU '" + guest.cpuKey() + "' (" + names(hosts) + ")";
            case ANTI_AFFINITY -> count + (one ? " already runs" : " already run") + " a guest of its anti-affinity group"
                    + (guest.antiAffinity().size() == 1 ? " " : "s ") + hosts.stream().limit(NAMED_HOSTS)
                    .map(h -> placement.host(h).name() + ": " + placement.groupConflict(g, h))
                    .collect(Collectors.joining(", ", "(", hosts.size() > NAMED_HOSTS ? ", ...)" : ")"));
            case MEMORY -> {
                int roomiest = most(hosts, placement::memoryRoom);
                yield String.format("%s %s memory: it needs %.1f GiB, the most free is %.1f GiB on %s (keeping %.0f%% headroom)",
                        count, one ? "lacks" : "lack", guest.memoryBytes() / GIB, Math.max(0, placement.memoryRoom(roomiest)) / GIB,
                        placement.host(roomiest).name(), settings.memoryHeadroom() * 100);
            }
            case CPU_USE -> {
                int idlest = most(hosts, placement::coreRoom);
                yield String.format("%s %s CPU: it uses %.2f cores, the most idle is %.2f cores on %s (keeping %.0f%% headroom)",
                        count, one ? "lacks" : "lack", guest.cpuCores(), Math.max(0, placement.coreRoom(idlest)), placement.host(idlest).name(),
                        settings.cpuHeadroom() * 100);
            }
            case VCPUS -> {
                int roomiest = most(hosts, placement::vcpuRoom);
                yield String.format("%s would exceed %s vCPUs per CPU with its %d vCPUs (most room: %.0f on %s)", count,
                        settings.maxVcpusPerCpu(), guest.vcpus(), Math.max(0, placement.vcpuRoom(roomiest)),
                        placement.host(roomiest).name());
            }
        };
    }

    private int most(List<Integer> hosts, IntToDoubleFunction measure) {
        return hosts.stream().max(Comparator.comparingDouble(measure::applyAsDouble)).orElseThrow();
    }

    private String names(List<Integer> hosts) {
        String named = hosts.stream().limit(NAMED_HOSTS).map(h -> placement.host(h).name()).collect(Collectors.joining(", "));
        return hosts.size() > NAMED_HOSTS ? named + ", ..." : named;
    }
}
