package org.aoemigrate.orchestrator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;

/** Asks every host of the inventory where a guest is defined and where it runs. */
public final class GuestLocator {

    private final Hypervisors hypervisors;

    public GuestLocator(Hypervisors hypervisors) {
        this.hypervisors = hypervisors;
    }

    public GuestLocation locate(Inventory inventory, String guest) {
        Map<String, DomainState> states = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        for (Host h : inventory.hostsInOrder()) {
            try {
                Optional<DomainState> s = hypervisors.of(h).domainState(guest);
                s.ifPresent(state -> states.put(h.name(), state));
            } catch (HypervisorException e) {
                unreachable.add(h.name());
            }
        }
        return new GuestLocation(guest, states, unreachable);
    }
}
