package org.aoemigrate.orchestrator.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aoemigrate.aoe.target.ExportAddress;

/**
 * The cluster as the operator declares it: hypervisors, the embedded target, its exports and
 * the migration policy. Immutable and already validated (see {@link InventoryReader}).
 */
public record Inventory(Map<String, Host> hosts, Storage storage, Map<String, ExportDisk> exports,
        MigrationPolicy policy, MigrationLimits limits) {

    public Inventory {
        hosts = Map.copyOf(hosts);
        exports = Map.copyOf(exports);
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    /** The export a guest sees as {@code /dev/etherd/eS.L}. */
    public Optional<ExportDisk> exportAt(ExportAddress address) {
        return exports.values().stream().filter(e -> e.address().equals(address)).findFirst();
    }

    /** Hosts in name order, for stable output and a stable locate order. */
    public List<Host> hostsInOrder() {
        return hosts.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
}
