package org.aoemigrate.orchestrator.daemon;

import java.time.Duration;
import java.util.function.BiFunction;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.engine.check.ExportSizes;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.Inventory;

/**
 * What the daemon is built from, so that tests run the same daemon over a fake cluster and an
 * in-memory hub: libvirt connections, the target's interfaces, the destination check, the clock.
 *
 * @param destinationCheck makes the check from the inventory and the sizes the daemon's target serves
 * @param pollInterval     how often a running migration's statistics are read
 * @param duplicateCheck   how long the target listens for another target on its addresses before serving
 */
public record DaemonParts(Hypervisors hypervisors, LinkOpener links,
        BiFunction<Inventory, ExportSizes, DestinationCheck> destinationCheck, Ticker ticker, Duration pollInterval,
        Duration duplicateCheck) {
}
