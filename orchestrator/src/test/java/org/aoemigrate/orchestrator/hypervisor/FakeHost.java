package org.aoemigrate.orchestrator.hypervisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One simulated hypervisor of a {@link FakeCluster}: its resources and the domains it knows. */
public final class FakeHost {

    /** A domain on this host. */
    static final class Domain {
        final String name;
        final String xml;
        final long memoryBytes;
        DomainState state;
        /** Bytes of memory the guest dirties per second while it runs. */
        long dirtyRate;
        /** Defined (outlives a stop), not transient. */
        boolean persistent = true;
        int vcpus = 1;
        /** The share of its vCPUs it keeps busy while it runs, 0 to 1. */
        double cpuLoad;
        /** CPU time of its QEMU process so far: a moved guest starts again from 0, as a new process does. */
        long cpuTimeNanos;

        Domain(String name, String xml, long memoryBytes, DomainState state, long dirtyRate) {
            this.name = name;
            this.xml = xml;
            this.memoryBytes = memoryBytes;
            this.state = state;
            this.dirtyRate = dirtyRate;
        }
    }

    final String name;
    final String migrationUri;
    int cpus = 8;
    long memoryBytes = 16L << 30;
    final Set<String> cpuModels = new LinkedHashSet<>(List.of("qemu64", "Haswell"));
    final Set<String> networks = new LinkedHashSet<>(List.of("default"));
    final Set<String> bridges = new LinkedHashSet<>(List.of("br0"));
    final Map<String, Domain> domains = new LinkedHashMap<>();
    final Map<String, JobStats> completedJobs = new LinkedHashMap<>();
    final List<LifecycleListener> listeners = new ArrayList<>();
    boolean up = true;

    FakeHost(String name, String migrationUri) {
        this.name = name;
        this.migrationUri = migrationUri;
    }

    public String name() {
        return name;
    }

    public FakeHost memory(long bytes) {
        memoryBytes = bytes;
        return this;
    }

    public FakeHost cpuModels(String... models) {
        cpuModels.clear();
        cpuModels.addAll(List.of(models));
        return this;
    }

    public FakeHost networks(String... names) {
        networks.clear();
        networks.addAll(List.of(names));
        return this;
    }

    public FakeHost bridges(String... names) {
        bridges.clear();
        bridges.addAll(List.of(names));
        return this;
    }

    long freeMemory() {
        return memoryBytes - domains.values().stream().filter(d -> d.state.isActive()).mapToLong(d -> d.memoryBytes).sum();
    }

    void fire(String guest, LifecycleEvent.Type type, String detail) {
        for (LifecycleListener l : List.copyOf(listeners)) {
            l.onEvent(new LifecycleEvent(name, guest, type, detail));
        }
    }
}
