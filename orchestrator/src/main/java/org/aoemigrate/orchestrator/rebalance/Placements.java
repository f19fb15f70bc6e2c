package org.aoemigrate.orchestrator.rebalance;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.orchestrator.engine.DomainDescription;
import org.aoemigrate.orchestrator.engine.GuestDisk;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.planner.CpuCompatibility;

/**
 * Which hosts can take which guest, for the planner. A guest's key stands for its domain type,
 * its {@code <cpu>} and the hosts its exports may be seen by; a host's key is its name. So
 * {@link #canRun} holds when the host may see every disk of the guest and libvirt on that host
 * can run the guest's CPU ({@code virConnectCompareHypervisorCPU}, as preflight asks it).
 */
final class Placements implements CpuCompatibility {

    private static final String DEVICE_PREFIX = "/dev/etherd/";

    /** What a guest key stands for. */
    private record Needs(String type, Optional<String> cpuXml, Set<String> hosts) {
    }

    /** A guest's key, and whether it can move at all (every disk on AoE). */
    record Fit(String key, boolean movable) {
    }

    private final Inventory inventory;
    private final Map<String, Hypervisor> byHost = new HashMap<>();
    private final Map<String, Needs> needs = new HashMap<>();

    Placements(Inventory inventory) {
        this.inventory = inventory;
    }

    /** A host that may take guests: the one whose libvirt answers CPU questions for it. */
    void register(Hypervisor hv) {
        byHost.put(hv.host(), hv);
    }

    /** The key of a guest described by {@code domain}. */
    Fit of(DomainDescription domain) {
        Set<String> hosts = new TreeSet<>(inventory.hosts().keySet());
        boolean movable = true;
        for (GuestDisk d : domain.disks()) {
            if (!d.hasMedium()) {
                continue;
            }
            Optional<ExportDisk> export = export(d);
            if (export.isEmpty() || !"none".equals(d.cache())) {
                movable = false;
                continue;
            }
            hosts.retainAll(export.get().hosts());
        }
        Needs n = new Needs(domain.type(), domain.cpuXml(), hosts);
        String key = n.type() + "|" + n.cpuXml().map(x -> Integer.toHexString(x.hashCode())).orElse("-") + "|" + hosts;
        needs.putIfAbsent(key, n);
        return new Fit(key, movable);
    }

    /** The export behind a disk, when it is a block device /dev/etherd/eS.L the inventory serves. */
    private Optional<ExportDisk> export(GuestDisk d) {
        if (!"block".equals(d.type()) || !d.source().startsWith(DEVICE_PREFIX)) {
            return Optional.empty();
        }
        try {
            return inventory.exportAt(ExportAddress.parse(d.source().substring(DEVICE_PREFIX.length())));
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
    }

    @Override
    public boolean canRun(String guestKey, String hostKey) {
        Needs n = needs.get(guestKey);
        if (n == null || !n.hosts().contains(hostKey)) {
            return false;
        }
        if (n.cpuXml().isEmpty()) {
            return true;
        }
        Hypervisor hv = byHost.get(hostKey);
        if (hv == null) {
            return false;
        }
        try {
            return hv.compareHypervisorCpu(n.type(), n.cpuXml().get()).compatible();
        } catch (HypervisorException e) {
            return false;
        }
    }
}
