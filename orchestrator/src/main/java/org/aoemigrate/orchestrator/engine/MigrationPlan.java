package org.aoemigrate.orchestrator.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;

/**
 * What preflight established: who moves where, over which exports, under which policy, holding
 * which slot.
 *
 * @param reservations  each export's reservation as preflight found it (empty: unreserved)
 * @param startedPaused the guest was paused before the move; it stays paused after it
 */
record MigrationPlan(String id, String guest, Host source, Host destination, Hypervisor sourceHv, Hypervisor destinationHv,
        List<ExportDisk> exports, Map<ExportAddress, Set<MacAddress>> reservations, MigrationPolicy policy, boolean startedPaused, MigrationSlots.Slot slot) {

    MigrationPlan {
        exports = List.copyOf(exports);
        reservations = Map.copyOf(reservations);
    }
}
