package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.aoemigrate.orchestrator.engine.StorageFence;

/**
 * The engine's fence on the daemon's own target: the export's reserve list is set directly, as a
 * forced set (r11 3.4) needs no sender, and the export saves it to the state directory before
 * the call returns, so a reservation the engine relies on survives a daemon crash.
 */
final class TargetFence implements StorageFence {

    private final EmbeddedTarget target;

    TargetFence(EmbeddedTarget target) {
        this.target = target;
    }

    @Override
    public void reserve(ExportAddress export, Set<MacAddress> macs) throws IOException {
        // a forced set ignores the sender, so the daemon names none
        target.require(export).reserve(ReserveCommand.FORCE_SET, MacAddress.ZERO, macs.stream().sorted().toList());
    }

    @Override
    public Set<MacAddress> read(ExportAddress export) throws IOException {
        List<MacAddress> holders = target.require(export).state().reservations().holders();
        return Set.copyOf(holders);
    }
}
