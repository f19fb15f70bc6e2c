package org.aoemigrate.orchestrator.engine;

import java.util.Optional;
import org.aoemigrate.orchestrator.inventory.CutoverMode;

/**
 * How one migration ended.
 *
 * @param source        where the guest ran; empty if the refusal came before it was located
 * @param reason        for anything but SUCCEEDED, one sentence: what went wrong, where the guest
 *                      runs now and what the reservation is
 * @param failedCheck   for REFUSED, the check that said no
 * @param totalMs       from the request to the end
 * @param downtimeMs    the guest's pause at switchover as libvirt measured it (0 if unknown)
 * @param bytes         memory bytes sent
 * @param iterations    pre-copy passes
 * @param maxDowntimeMs the downtime allowed at the end (after any steps)
 */
public record MigrationResult(String id, String guest, Optional<String> source, String destination,
        MigrationOutcome outcome, String reason, Optional<PreflightCheck> failedCheck, CutoverMode cutover, long totalMs,
        long downtimeMs, long bytes, long iterations, long maxDowntimeMs) {

    public boolean succeeded() {
        return outcome == MigrationOutcome.SUCCEEDED;
    }
}
