package org.aoemigrate.orchestrator.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The embedded AoE target the daemon runs.
 *
 * @param ports    the interfaces it serves on; an initiator's answers must come from these MACs
 * @param stateDir where each export keeps its config string, masks and reservation
 */
public record Storage(List<AoePort> ports, Path stateDir) {

    public Storage {
        ports = List.copyOf(ports);
    }

    public Set<MacAddress> macs() {
        return ports.stream().map(AoePort::mac).collect(Collectors.toUnmodifiableSet());
    }
}
