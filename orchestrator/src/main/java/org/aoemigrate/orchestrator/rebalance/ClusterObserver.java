package org.aoemigrate.orchestrator.rebalance;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.aoemigrate.orchestrator.engine.DomainDescription;
import org.aoemigrate.orchestrator.engine.MigrationEngine.ActiveMigration;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.hypervisor.GuestUsage;
import org.aoemigrate.orchestrator.hypervisor.HostResources;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.aoemigrate.orchestrator.journal.MigrationHistory;
import org.aoemigrate.orchestrator.journal.MigrationJournal;
import org.aoemigrate.orchestrator.planner.Cluster;
import org.aoemigrate.orchestrator.planner.ObservedGuest;
import org.aoemigrate.orchestrator.planner.ObservedHost;

/**
 * Reads the cluster as the planner needs it: every reachable host's CPUs and memory for guests,
 * every active guest's memory, vCPUs, recent CPU use (its CPU time read twice, {@code sample}
 * apart) and whether it can move at all (every disk an inventory export), and when each guest
 * last moved (the journal).
 *
 * <p>A host whose libvirt does not answer is left out, with a warning: nothing can move to or from
 * it. A guest being migrated right now counts on its destination and is pinned there.
 */
public final class ClusterObserver {

    private final Hypervisors hypervisors;
    private final MigrationJournal journal;
    private final Ticker ticker;
    private final Duration sample;

    /** @param sample the time between the two readings of each guest's CPU time */
    public ClusterObserver(Hypervisors hypervisors, MigrationJournal journal, Ticker ticker, Duration sample) {
        this.hypervisors = hypervisors;
        this.journal = journal;
        this.ticker = ticker;
        this.sample = sample;
    }

    /** One host's first reading. */
    private record HostReading(Host host, Hypervisor hv, HostResources resources, Map<String, GuestUsage> first,
            Instant at) {
    }

    /**
     * Observes every host of {@code inventory} (maintenance as given there).
     *
     * @param moving the migrations in flight now
     * @param warn   hears what the operator should know (an unreachable host)
     * @throws ObservationException when the cluster cannot be planned on (a guest active on two hosts)
     */
    public Cluster observe(Inventory inventory, List<ActiveMigration> moving, Consumer<String> warn)
            throws ObservationException, InterruptedException {
        List<HostReading> readings = new ArrayList<>();
        for (Host h : inventory.hostsInOrder()) {
            try {
                Hypervisor hv = hypervisors.of(h);
                readings.add(new HostReading(h, hv, hv.resources(), hv.guestUsage(), ticker.now()));
            } catch (HypervisorException e) {
                warn.accept(h.name() + " is left out of the plan: its libvirt does not answer (" + e.getMessage()
                        + "); no guest moves to or from it");
            }
        }
        ticker.sleep(sample);
        Map<String, String> movingTo = new HashMap<>();
        moving.forEach(m -> movingTo.put(m.guest(), m.destination()));
        Map<String, Instant> lastMoved = lastMoved();
        Placements placements = new Placements(inventory);
        List<ObservedHost> hosts = new ArrayList<>();
        Map<String, ObservedGuest> guests = new LinkedHashMap<>();
        Map<String, List<String>> activeOn = new LinkedHashMap<>();
        for (HostReading r : readings) {
            Map<String, GuestUsage> second;
            try {
                second = r.hv().guestUsage();
            } catch (HypervisorException e) {
                warn.accept(r.host().name() + " is left out of the plan: its libvirt stopped answering (" + e.getMessage() + ")");
                continue;
            }
            placements.register(r.hv());
            Duration elapsed = Duration.between(r.at(), ticker.now());
            long guestMemory = 0;
            for (Map.Entry<String, GuestUsage> e : second.entrySet()) {
                String name = e.getKey();
                activeOn.computeIfAbsent(name, k -> new ArrayList<>()).add(r.host().name());
                String destination = movingTo.get(name);
                if (destination != null && !destination.equals(r.host().name())) {
                    continue;
                }
                Optional<DomainDescription> description = describe(r.hv(), name);
                if (description.isEmpty()) {
                    continue;
                }
                GuestUsage now = e.getValue();
                long memory = Math.max(now.memoryBytes(), description.get().memoryBytes());
                guestMemory += memory;
                double cores = cores(r.first().get(name), now, elapsed);
                Placements.Fit fit = placements.of(description.get());
                guests.put(name, new ObservedGuest(name, r.host().name(), memory, Math.max(1, now.vcpus()), cores,
                        fit.movable(), destination != null || inventory.rebalance().pinned().contains(name),
                        inventory.rebalance().groupsOf(name), Optional.ofNullable(lastMoved.get(name)), fit.key()));
            }
            hosts.add(new ObservedHost(r.host().name(), capacity(r.host(), r.resources(), guestMemory),
                    Math.max(1, r.resources().cpus()), r.host().maintenance(), r.host().name()));
        }
        for (Map.Entry<String, List<String>> e : activeOn.entrySet()) {
            if (e.getValue().size() > 1 && !movingTo.containsKey(e.getKey())) {
                throw new ObservationException(e.getKey() + " is active on " + String.join(" and ", e.getValue())
                        + " and no migration of it runs: split brain; nothing is planned until it is settled"
                        + " (aoemigrate recover)");
            }
        }
        return new Cluster(hosts, List.copyOf(guests.values()), placements, ticker.now());
    }

    /** CPU time over wall time; 0 when the guest was not there for both readings (it just started or moved). */
    private static double cores(GuestUsage first, GuestUsage second, Duration elapsed) {
        if (first == null || elapsed.isZero() || second.cpuTimeNanos() < first.cpuTimeNanos()) {
            return 0;
        }
        return (double) (second.cpuTimeNanos() - first.cpuTimeNanos()) / elapsed.toNanos();
    }

    /**
     * What guests may use on a host: the inventory's {@code guestMemoryMiB} when given; otherwise
     * what libvirt says is free plus what its guests hold now, which leaves out what the host keeps
     * for itself (and is right when several lab hosts share one machine's free memory).
     */
    private static long capacity(Host host, HostResources r, long guestMemory) {
        if (host.guestMemoryBytes().isPresent()) {
            return host.guestMemoryBytes().getAsLong();
        }
        return Math.max(1, Math.min(r.memoryBytes(), r.freeMemoryBytes() + guestMemory));
    }

    private static Optional<DomainDescription> describe(Hypervisor hv, String guest) {
        try {
            return Optional.of(DomainDescription.parse(hv.domainXml(guest)));
        } catch (HypervisorException | IllegalArgumentException gone) {
            // it left or stopped between the listing and now: it is no longer there to plan for
            return Optional.empty();
        }
    }

    /** When each guest's last successful migration ended, from the journal. */
    private Map<String, Instant> lastMoved() throws ObservationException {
        Map<String, Instant> last = new HashMap<>();
        try {
            for (MigrationHistory h : journal.history()) {
                if (h.last().step() == JournalStep.FINISHED) {
                    last.merge(h.first().guest(), h.last().at(), (a, b) -> a.isAfter(b) ? a : b);
                }
            }
        } catch (IOException e) {
            throw new ObservationException("cannot read the journal for when guests last moved: " + e.getMessage());
        }
        return last;
    }
}
