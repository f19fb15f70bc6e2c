package org.aoemigrate.orchestrator.engine;

import java.util.Objects;
import java.util.Optional;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;

/**
 * A request to move one guest: {@code aoemigrate vm1 hostB}.
 *
 * @param policy overrides the inventory's policy for this migration (e.g. {@code --cutover fenced})
 */
public record MigrationOrder(String guest, String destination, Optional<MigrationPolicy> policy) {

    public MigrationOrder {
        Objects.requireNonNull(guest, "guest");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(policy, "policy");
    }

    public static MigrationOrder of(String guest, String destination) {
        return new MigrationOrder(guest, destination, Optional.empty());
    }

    public MigrationOrder withPolicy(MigrationPolicy p) {
        return new MigrationOrder(guest, destination, Optional.of(p));
    }
}
