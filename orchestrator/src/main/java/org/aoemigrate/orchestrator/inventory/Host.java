package org.aoemigrate.orchestrator.inventory;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A hypervisor as the operator describes it.
 *
 * @param name           the inventory name, as in {@code aoemigrate vm1 hostB}
 * @param libvirtUri     what the daemon connects to (e.g. {@code qemu+ssh://root@hostB/system})
 * @param migrationUri   what the source libvirtd connects to in a peer-to-peer migration; the
 *                       source daemon opens it, so it must resolve from the source host
 * @param exec           the command prefix that runs a command on this host ({@code ssh root@hostB},
 *                       or the lab's {@code lab exec hostB --})
 * @param aoePorts       the host's AoE interfaces; their MACs are what a reservation admits
 * @param maintenance    no guest may move onto a host in maintenance
 * @param guestMemoryMiB how much memory (MiB) the operator lets the guests on this host use in
 *                       all, the inventory's {@code guestMemoryMiB}; empty when not given, and then
 *                       only libvirt's free memory limits what the host takes. It is the host's
 *                       capacity for guests as the operator sees it (libvirt's free memory also
 *                       counts what the host itself needs, and hosts sharing a machine's RAM all see
 *                       the same figure)
 */
public record Host(String name, String libvirtUri, String migrationUri, List<String> exec, List<AoePort> aoePorts,
        boolean maintenance, OptionalLong guestMemoryMiB) {

    public Host {
        exec = List.copyOf(exec);
        aoePorts = List.copyOf(aoePorts);
        if (guestMemoryMiB.isPresent() && guestMemoryMiB.getAsLong() < 0) {
            throw new IllegalArgumentException("guestMemoryMiB of host " + name + " is negative: " + guestMemoryMiB.getAsLong());
        }
    }

    /** A host without a guest memory limit of its own. */
    public Host(String name, String libvirtUri, String migrationUri, List<String> exec, List<AoePort> aoePorts,
            boolean maintenance) {
        this(name, libvirtUri, migrationUri, exec, aoePorts, maintenance, OptionalLong.empty());
    }

    public Host withMaintenance(boolean inMaintenance) {
        return new Host(name, libvirtUri, migrationUri, exec, aoePorts, inMaintenance, guestMemoryMiB);
    }

    /** The MACs of all AoE ports: the host's identity towards the target. */
    public Set<MacAddress> macs() {
        return aoePorts.stream().map(AoePort::mac).collect(Collectors.toUnmodifiableSet());
    }

    /** {@link #guestMemoryMiB} in bytes, when given. */
    public OptionalLong guestMemoryBytes() {
        return guestMemoryMiB.isPresent() ? OptionalLong.of(guestMemoryMiB.getAsLong() << 20) : OptionalLong.empty();
    }
}
