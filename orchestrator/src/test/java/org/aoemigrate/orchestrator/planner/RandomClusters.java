package org.aoemigrate.orchestrator.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random clusters from a seed: small awkward ones for the property test, a large realistic one for
 * the benchmark. Uneven on purpose (guests pile onto some hosts), with every constraint in play.
 * No JUnit here: the benchmark runs it from a plain main.
 */
final class RandomClusters {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final long GIB = 1L << 30;

    /** CPU generations: a guest started on an older one runs on any newer one, not the reverse. */
    static final CpuCompatibility GENERATIONS = (guestKey, hostKey) -> guestKey.compareTo(hostKey) <= 0;

    private RandomClusters() {
    }

    /** 1-10 hosts, up to 8 guests per host, random limits: the corners a property test should visit. */
    static Cluster small(Random random) {
        int hostCount = 1 + random.nextInt(10);
        List<ObservedHost> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            hosts.add(new ObservedHost("host" + h, (16 + 16L * random.nextInt(8)) * GIB, 4 + random.nextInt(29),
                    random.nextDouble() < 0.15, "gen" + random.nextInt(3)));
        }
        int guestCount = random.nextInt(8 * hostCount + 1);
        List<ObservedGuest> guests = new ArrayList<>();
        for (int g = 0; g < guestCount; g++) {
            ObservedHost host = hosts.get(skewedIndex(random, hostCount));
            int vcpus = 1 + random.nextInt(8);
            Set<String> groups = new HashSet<>();
            while (random.nextDouble() < 0.35) {
                groups.add("group" + random.nextInt(5));
            }
            guests.add(new ObservedGuest("vm" + g, host.name(), (1 + random.nextInt(16)) * GIB, vcpus,
                    random.nextDouble() * vcpus, random.nextDouble() < 0.9, random.nextDouble() < 0.1, groups,
                    lastMoved(random, 0.3), random.nextDouble() < 0.8 ? host.cpuKey() : "gen0"));
        }
        return new Cluster(hosts, guests, GENERATIONS, NOW);
    }

    /** Settings over their whole useful range, so that each limit binds in some runs. */
    static PlannerSettings smallSettings(Random random) {
        double[][] weights = {{1, 0.5}, {1, 0}, {0, 1}, {0.3, 2}};
        double[] pair = weights[random.nextInt(weights.length)];
        double[] gains = {0.0005, 0.001, 0.01, 0.05};
        return new PlannerSettings(pair[0], pair[1], gains[random.nextInt(gains.length)], random.nextInt(31),
                random.nextDouble() * 0.3, random.nextDouble() * 0.3, 1 + random.nextInt(8), Duration.ofHours(1));
    }

    /**
     * A large cluster shaped like a real one: hosts of three sizes and three CPU generations, guests
     * mostly small, placed unevenly but within 95 % of each host's memory; anti-affinity triples on
     * distinct hosts; some guests pinned, some with local disks, some moved within the last two hours,
     * and 2 % of the hosts in maintenance.
     */
    static Cluster large(Random random, int hostCount, int guestCount) {
        List<ObservedHost> hosts = new ArrayList<>();
        long[] free = new long[hostCount];
        double[] weight = new double[hostCount];
        double totalWeight = 0;
        for (int h = 0; h < hostCount; h++) {
            long memory = (256 + 128L * random.nextInt(3)) * GIB;
            hosts.add(new ObservedHost("host" + h, memory, 32 + 16 * random.nextInt(3), random.nextDouble() < 0.02,
                    "gen" + random.nextInt(3)));
            free[h] = memory * 95 / 100;
            // squared uniform: a few hosts attract many guests, as after years of manual placement
            weight[h] = Math.pow(random.nextDouble(), 2) + 0.05;
            totalWeight += weight[h];
        }
        long[] sizes = {1, 2, 2, 4, 4, 4, 8, 8, 16, 32};
        int hostOfFirst = 0;
        List<ObservedGuest> guests = new ArrayList<>();
        for (int g = 0; g < guestCount; g++) {
            long memory = sizes[random.nextInt(sizes.length)] * GIB;
            // triples of one group, each guest of a triple on its own host (the next ones with room)
            boolean triple = g < 900;
            int host = triple && g % 3 != 0 ? (hostOfFirst + g % 3) % hostCount : weightedIndex(random, weight, totalWeight);
            while (free[host] < memory || triple && g % 3 != 0 && sameTriple(guests, g, hosts.get(host).name())) {
                host = triple && g % 3 != 0 ? (host + 1) % hostCount : random.nextInt(hostCount);
            }
            if (triple && g % 3 == 0) {
                hostOfFirst = host;
            }
            free[host] -= memory;
            int vcpus = 1 << random.nextInt(4);
            Set<String> groups = triple ? Set.of("group" + g / 3) : Set.of();
            guests.add(new ObservedGuest("vm" + g, hosts.get(host).name(), memory, vcpus,
                    random.nextDouble() * 0.3 * vcpus, random.nextDouble() < 0.97, random.nextDouble() < 0.05, groups,
                    lastMoved(random, 0.1), hosts.get(host).cpuKey()));
        }
        return new Cluster(hosts, guests, GENERATIONS, NOW);
    }

    /** Does a guest of guest {@code g}'s triple already run on {@code host}? */
    private static boolean sameTriple(List<ObservedGuest> guests, int g, String host) {
        for (int other = g - g % 3; other < g; other++) {
            if (guests.get(other).host().equals(host)) {
                return true;
            }
        }
        return false;
    }

    private static int skewedIndex(Random random, int count) {
        double u = random.nextDouble();
        return Math.min(count - 1, (int) (u * u * count));
    }

    private static int weightedIndex(Random random, double[] weight, double total) {
        double pick = random.nextDouble() * total;
        for (int i = 0; i < weight.length; i++) {
            pick -= weight[i];
            if (pick < 0) {
                return i;
            }
        }
        return weight.length - 1;
    }

    private static Optional<Instant> lastMoved(Random random, double recently) {
        return random.nextDouble() < recently ? Optional.of(NOW.minus(Duration.ofMinutes(random.nextInt(120))))
                : Optional.empty();
    }
}
