package org.aoemigrate.orchestrator.engine;

import java.util.Optional;

/**
 * What {@code recover} found and did about one open migration.
 *
 * @param source      the migration's source, as the journal has it (empty if it never got that far)
 * @param found       what every host said: where the guest is and in which state, and the reservation
 * @param runsOn      the host the guest runs on now, if exactly one does
 * @param settled     true if the guest runs exactly once, is defined there only, the reservation names
 *                    that host, and the migration is closed in the journal; false if an operator must act
 * @param action      what was done, or what the operator must do
 */
public record RecoveryOutcome(String id, String guest, String source, String destination, String found,
        Optional<String> runsOn, boolean settled, String action) {
}
