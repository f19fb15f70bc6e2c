package org.aoemigrate.orchestrator.engine.check;

import java.util.List;
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

    /**
     * Says that {@code exports} will be checked on {@code destination} soon, in that order, once the
     * disks are reserved to it: what of the check needs no reservation may start now. Returns at
     * once; whatever it does or fails to do (the engine ignores what it throws), the checks that
     * follow give the verdict they would have given without it. By default nothing starts.
     */
    default void prepare(Host destination, List<ExportDisk> exports) {
    }
}
