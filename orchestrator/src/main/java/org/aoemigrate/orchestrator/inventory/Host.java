package org.aoemigrate.orchestrator.inventory;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A hypervisor as the operator describes it.
 *
 * @param name         the inventory name, as in {@code aoemigrate vm1 hostB}
 * @param libvirtUri   what the daemon connects to (e.g. {@code qemu+ssh://root@hostB/system})
 * @param migrationUri what the source libvirtd connects to in a peer-to-peer migration; the
 *                     source daemon opens it, so it must resolve from the source host
 * @param exec         the command prefix that runs a command on this host ({@code ssh root@hostB},
 *                     or the lab's {@code lab exec hostB --})
 * @param aoePorts     the host's AoE interfaces; their MACs are what a reservation admits
 * @param maintenance  no guest may move onto a host in maintenance
 */
public record Host(String name, String libvirtUri, String migrationUri, List<String> exec, List<AoePort> aoePorts,
        boolean maintenance) {

    public Host {
        exec = List.copyOf(exec);
        aoePorts = List.copyOf(aoePorts);
    }

    /** The MACs of all AoE ports: the host's identity towards the target. */
    public Set<MacAddress> macs() {
        return aoePorts.stream().map(AoePort::mac).collect(Collectors.toUnmodifiableSet());
    }
}
