package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.hypervisor.FakeCluster;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;

/** The reservation table of the target, in memory; each change goes on the cluster's timeline by host name. */
final class FakeFence implements StorageFence {

    private final Map<ExportAddress, Set<MacAddress>> reservations = new HashMap<>();
    private final FakeCluster cluster;
    private final Inventory inventory;
    private int failures;

    FakeFence(FakeCluster cluster, Inventory inventory) {
        this.cluster = cluster;
        this.inventory = inventory;
    }

    /** The next {@code count} changes fail. */
    synchronized void failNext(int count) {
        failures = count;
    }

    @Override
    public synchronized void reserve(ExportAddress export, Set<MacAddress> macs) throws IOException {
        if (failures > 0) {
            failures--;
            throw new IOException("the target's state directory is read-only");
        }
        reservations.put(export, Set.copyOf(macs));
        cluster.note("reserve " + export + " " + holders(export));
    }

    @Override
    public synchronized Set<MacAddress> read(ExportAddress export) {
        return reservations.getOrDefault(export, Set.of());
    }

    /** The hosts whose MACs the reservation lists, e.g. [hostA, hostB]. */
    synchronized Set<String> holders(ExportAddress export) {
        Set<String> names = new TreeSet<>();
        for (MacAddress mac : read(export)) {
            names.add(inventory.hosts().values().stream().filter(h -> h.macs().contains(mac)).map(Host::name)
                    .findFirst().orElse(mac.toString()));
        }
        return names;
    }
}
