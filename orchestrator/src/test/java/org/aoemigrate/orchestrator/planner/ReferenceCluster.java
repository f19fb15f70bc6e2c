package org.aoemigrate.orchestrator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * A plain, slow model of a cluster that replays a plan move by move and checks each against the
 * rules, with its own score (two-pass standard deviation over maps): what the planner's arrays and
 * running sums must agree with.
 */
final class ReferenceCluster {

    private static final double TOLERANCE = 1e-9;

    private final Cluster cluster;
    private final PlannerSettings settings;
    private final Map<String, ObservedHost> hosts = new HashMap<>();
    private final Map<String, ObservedGuest> guests = new HashMap<>();
    private final Map<String, String> location = new HashMap<>();
    private final Set<String> moved = new HashSet<>();
    private final String drained;

    ReferenceCluster(Cluster cluster, PlannerSettings settings, String drained) {
        this.cluster = cluster;
        this.settings = settings;
        this.drained = drained;
        cluster.hosts().forEach(h -> hosts.put(h.name(), h));
        cluster.guests().forEach(g -> guests.put(g.name(), g));
        cluster.guests().forEach(g -> location.put(g.name(), g.host()));
    }

    String hostOf(String guest) {
        return location.get(guest);
    }

    boolean takesGuests(String host) {
        return !hosts.get(host).maintenance() && !host.equals(drained);
    }

    double score() {
        Map<String, double[]> used = new HashMap<>();
        for (ObservedGuest guest : cluster.guests()) {
            double[] sums = used.computeIfAbsent(location.get(guest.name()), h -> new double[2]);
            sums[0] += guest.memoryBytes();
            sums[1] += guest.cpuCores();
        }
        List<ObservedHost> scored = cluster.hosts().stream().filter(h -> takesGuests(h.name())).toList();
        double[] none = new double[2];
        return settings.memoryWeight() * deviation(scored.stream()
                        .mapToDouble(h -> used.getOrDefault(h.name(), none)[0] / h.memoryBytes()).toArray())
                + settings.cpuWeight() * deviation(scored.stream()
                        .mapToDouble(h -> used.getOrDefault(h.name(), none)[1] / h.cpus()).toArray());
    }

    HostUse use(String host) {
        ObservedHost h = hosts.get(host);
        return new HostUse(sum(host, ObservedGuest::memoryBytes) / h.memoryBytes(), sum(host, ObservedGuest::cpuCores) / h.cpus());
    }

    /** Checks that {@code move} is allowed now and says true things, then makes it. */
    void apply(Move move, boolean rebalance) {
        String guest = move.guest();
        String from = move.source().host();
        String to = move.destination().host();
        assertThat(location.get(guest)).as("%s's host", guest).isEqualTo(from);
        assertThat(brokenRules(guest, to, rebalance)).as("rules %s -> %s breaks", guest, to).isEmpty();

        assertThat(move.scoreBefore()).as("score before %s", guest).isCloseTo(score(), within(TOLERANCE));
        assertUse(move.source().before(), from);
        assertUse(move.destination().before(), to);
        location.put(guest, to);
        moved.add(guest);
        assertThat(move.scoreAfter()).as("score after %s", guest).isCloseTo(score(), within(TOLERANCE));
        assertUse(move.source().after(), from);
        assertUse(move.destination().after(), to);
    }

    /** The lowest score any allowed move reaches now, by trying every guest on every host. */
    double bestScoreOfAnyAllowedMove() {
        double best = Double.POSITIVE_INFINITY;
        for (ObservedGuest guest : cluster.guests()) {
            String from = location.get(guest.name());
            for (ObservedHost host : cluster.hosts()) {
                if (brokenRules(guest.name(), host.name(), true).isEmpty()) {
                    location.put(guest.name(), host.name());
                    best = Math.min(best, score());
                    location.put(guest.name(), from);
                }
            }
        }
        return best;
    }

    /** The rules moving {@code guestName} to {@code to} now would break; empty if it is allowed. */
    List<String> brokenRules(String guestName, String to, boolean rebalance) {
        ObservedGuest guest = guests.get(guestName);
        String from = location.get(guestName);
        ObservedHost destination = hosts.get(to);
        List<String> broken = new ArrayList<>();
        rule(broken, !to.equals(from), "the guest is already there");
        rule(broken, !moved.contains(guestName), "the guest moved already in this plan");
        rule(broken, guest.aoeDisksOnly(), "the guest has a disk that is not AoE");
        rule(broken, !guest.pinned(), "the guest is pinned");
        if (rebalance) {
            rule(broken, !guest.movedAfter(cluster.observedAt().minus(settings.holdTime())), "the guest is within its hold time");
            rule(broken, !hosts.get(from).maintenance(), "the guest's host is in maintenance");
        }
        rule(broken, takesGuests(to), "the destination takes no guests");
        rule(broken, cluster.cpuCompatibility().canRun(guest.cpuKey(), destination.cpuKey()), "the destination cannot run its CPU");
        for (ObservedGuest other : cluster.guests()) {
            if (to.equals(location.get(other.name())) && !Collections.disjoint(other.antiAffinity(), guest.antiAffinity())) {
                broken.add(other.name() + " on the destination shares an anti-affinity group");
            }
        }
        rule(broken, sum(to, ObservedGuest::memoryBytes) + guest.memoryBytes()
                <= (1 - settings.memoryHeadroom()) * destination.memoryBytes() + 1, "the destination's memory headroom");
        rule(broken, sum(to, ObservedGuest::cpuCores) + guest.cpuCores()
                <= (1 - settings.cpuHeadroom()) * destination.cpus() + TOLERANCE, "the destination's CPU headroom");
        rule(broken, sum(to, ObservedGuest::vcpus) + guest.vcpus()
                <= settings.maxVcpusPerCpu() * destination.cpus() + TOLERANCE, "the destination's vCPUs per CPU");
        return broken;
    }

    private static void rule(List<String> broken, boolean kept, String rule) {
        if (!kept) {
            broken.add(rule);
        }
    }

    private void assertUse(HostUse reported, String host) {
        HostUse actual = use(host);
        assertThat(reported.memory()).as("memory use of %s", host).isCloseTo(actual.memory(), within(TOLERANCE));
        assertThat(reported.cpu()).as("CPU use of %s", host).isCloseTo(actual.cpu(), within(TOLERANCE));
    }

    private double sum(String host, ToDoubleFunction<ObservedGuest> quantity) {
        return cluster.guests().stream().filter(g -> host.equals(location.get(g.name()))).mapToDouble(quantity).sum();
    }

    private static double deviation(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }
}
