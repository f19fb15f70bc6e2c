package org.aoemigrate.orchestrator.inventory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.target.ExportAddress;

/**
 * The cluster as the operator declares it: hypervisors, the embedded target, its exports, the
 * migration policy and what rebalancing may do. Immutable and already validated (see {@link InventoryReader}).
 */
public record Inventory(Map<String, Host> hosts, Storage storage, Map<String, ExportDisk> exports,
        MigrationPolicy policy, MigrationLimits limits, RebalanceSettings rebalance) {

    public Inventory {
        hosts = Map.copyOf(hosts);
        exports = Map.copyOf(exports);
    }

    /** An inventory without a {@code rebalance:} section. */
    public Inventory(Map<String, Host> hosts, Storage storage, Map<String, ExportDisk> exports, MigrationPolicy policy,
            MigrationLimits limits) {
        this(hosts, storage, exports, policy, limits, RebalanceSettings.DEFAULT);
    }

    /** This inventory with {@code names} in maintenance too (the daemon's runtime maintenance, see drain). */
    public Inventory withMaintenance(Set<String> names) {
        Map<String, Host> marked = hosts.values().stream().collect(Collectors.toMap(Host::name,
                h -> names.contains(h.name()) ? h.withMaintenance(true) : h));
        return new Inventory(marked, storage, exports, policy, limits, rebalance);
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
