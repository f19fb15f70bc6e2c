package org.aoemigrate.orchestrator.inventory;

/**
 * How many migrations may run at once: in the whole cluster, out of one host and into one host.
 * Many at once raise every guest's pause time and can overload a destination (see
 * migration-anchors.md, section 2, item 5).
 */
public record MigrationLimits(int global, int perHostOutbound, int perHostInbound) {

    public static final MigrationLimits DEFAULT = new MigrationLimits(2, 1, 1);
}
