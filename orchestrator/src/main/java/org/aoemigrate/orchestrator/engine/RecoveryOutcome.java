package org.aoemigrate.orchestrator.engine;

import java.util.Optional;

/**
 * What {@code recover} did about one open migration.
 *
 * @param runsOn  the host the guest runs on now, if exactly one does
 * @param settled true if the guest runs exactly once and the reservation names that host (the
 *                migration is closed in the journal); false if an operator must act first
 * @param action  one sentence: what was done, or what the operator must do
 */
public record RecoveryOutcome(String id, String guest, Optional<String> runsOn, boolean settled, String action) {
}
