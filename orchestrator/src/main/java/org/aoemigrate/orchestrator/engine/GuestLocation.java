package org.aoemigrate.orchestrator.engine;

import java.util.List;
import java.util.Map;
import org.aoemigrate.orchestrator.hypervisor.DomainState;

/**
 * Where a guest is, as every host's libvirt answered.
 *
 * @param states      the hosts that know the guest, with its state there
 * @param unreachable hosts whose libvirt did not answer (they may know it too)
 */
public record GuestLocation(String guest, Map<String, DomainState> states, List<String> unreachable) {

    public GuestLocation {
        states = Map.copyOf(states);
        unreachable = List.copyOf(unreachable);
    }

    /** The hosts where the guest is active, in name order. */
    public List<String> activeOn() {
        return states.entrySet().stream().filter(e -> e.getValue().isActive()).map(Map.Entry::getKey).sorted().toList();
    }
}
