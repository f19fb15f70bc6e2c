package org.aoemigrate.orchestrator.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Hand-made clusters for the planner's tests: hosts and guests in GiB and cores, one line each. */
final class TestCluster {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final long GIB = 1L << 30;
    static final String CPU = "k";

    private final List<ObservedHost> hosts = new ArrayList<>();
    private final List<ObservedGuest> guests = new ArrayList<>();
    private CpuCompatibility cpuCompatibility = CpuCompatibility.sameKey();

    TestCluster host(String name, int memoryGiB, int cpus) {
        return host(new ObservedHost(name, memoryGiB * GIB, cpus, false, CPU));
    }

    TestCluster host(ObservedHost host) {
        hosts.add(host);
        return this;
    }

    /** {@code count} guests named {@code host-vm0, host-vm1, ...} of {@code memoryGiB} each, 2 vCPUs, 1 core busy. */
    TestCluster guests(String host, int count, int memoryGiB) {
        return guests(host, count, memoryGiB, guest -> guest);
    }

    /** The same, each changed by {@code change} (see the {@code with...} helpers). */
    TestCluster guests(String host, int count, int memoryGiB, UnaryOperator<ObservedGuest> change) {
        for (int i = 0; i < count; i++) {
            guests.add(change.apply(guest(host + "-vm" + i, host, memoryGiB)));
        }
        return this;
    }

    TestCluster guest(ObservedGuest guest) {
        guests.add(guest);
        return this;
    }

    TestCluster cpuCompatibility(CpuCompatibility compatibility) {
        cpuCompatibility = compatibility;
        return this;
    }

    Cluster build() {
        return new Cluster(hosts, guests, cpuCompatibility, NOW);
    }

    static ObservedGuest guest(String name, String host, int memoryGiB) {
        return new ObservedGuest(name, host, memoryGiB * GIB, 2, 1.0, true, false, Set.of(), Optional.empty(), CPU);
    }

    static ObservedHost withMaintenance(ObservedHost h) {
        return new ObservedHost(h.name(), h.memoryBytes(), h.cpus(), true, h.cpuKey());
    }

    static ObservedHost withCpu(ObservedHost h, String cpuKey) {
        return new ObservedHost(h.name(), h.memoryBytes(), h.cpus(), h.maintenance(), cpuKey);
    }

    static UnaryOperator<ObservedGuest> withGroups(String... groups) {
        return g -> new ObservedGuest(g.name(), g.host(), g.memoryBytes(), g.vcpus(), g.cpuCores(), g.aoeDisksOnly(),
                g.pinned(), Set.of(groups), g.lastMoved(), g.cpuKey());
    }

    static UnaryOperator<ObservedGuest> pinned() {
        return g -> new ObservedGuest(g.name(), g.host(), g.memoryBytes(), g.vcpus(), g.cpuCores(), g.aoeDisksOnly(),
                true, g.antiAffinity(), g.lastMoved(), g.cpuKey());
    }

    static UnaryOperator<ObservedGuest> withLocalDisk() {
        return g -> new ObservedGuest(g.name(), g.host(), g.memoryBytes(), g.vcpus(), g.cpuCores(), false,
                g.pinned(), g.antiAffinity(), g.lastMoved(), g.cpuKey());
    }

    static UnaryOperator<ObservedGuest> movedAgo(Duration ago) {
        return g -> new ObservedGuest(g.name(), g.host(), g.memoryBytes(), g.vcpus(), g.cpuCores(), g.aoeDisksOnly(),
                g.pinned(), g.antiAffinity(), Optional.of(NOW.minus(ago)), g.cpuKey());
    }

    static UnaryOperator<ObservedGuest> withCpu(String cpuKey) {
        return g -> new ObservedGuest(g.name(), g.host(), g.memoryBytes(), g.vcpus(), g.cpuCores(), g.aoeDisksOnly(),
                g.pinned(), g.antiAffinity(), g.lastMoved(), cpuKey);
    }
}
