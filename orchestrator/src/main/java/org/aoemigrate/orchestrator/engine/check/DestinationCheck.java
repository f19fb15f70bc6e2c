package org.aoemigrate.orchestrator.engine.check;

import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;

/**
 * Does the destination's initiator see the right disk? The same {@code eS.L} from another
 * target is the classic AoE disaster (Linux merges it as a second path), so the check compares
 * identity, size and the answering MACs, and reads a block.
 */
@FunctionalInterface
public interface DestinationCheck {

    /** Checks {@code export} as seen from {@code destination}; never throws for a failed check. */
    CheckOutcome check(Host destination, ExportDisk export) throws InterruptedException;
}
