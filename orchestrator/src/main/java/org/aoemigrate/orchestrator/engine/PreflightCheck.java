package org.aoemigrate.orchestrator.engine;

/**
 * The checks a migration must pass, in the order they run. All but the last run before anything
 * changes; the last runs once the exports are reserved to source and destination (design step 3),
 * and its failure puts the reservation back as it was.
 */
public enum PreflightCheck {
    /** The journal takes the migration's first entry (without it a crash could not be settled). */
    JOURNAL,
    /** The destination is a host of the inventory, and not where the guest already runs. */
    DESTINATION,
    /** Exactly one host runs the guest (two: split brain, nothing moves). */
    LOCATE,
    /** The destination is not in maintenance. */
    MAINTENANCE,
    /** The guest is not already being moved. */
    LOCK,
    /** Global, per-source and per-destination migration limits. */
    LIMITS,
    /** Every disk is /dev/etherd/eS.L of a known export the destination may see, with cache='none'. */
    DISKS,
    /** Each export is unreserved or reserved to the source alone: no earlier move left it half-way. */
    RESERVATION,
    /** The destination's libvirt answers. */
    LIBVIRT,
    /** The destination has the guest's memory free. */
    MEMORY,
    /** libvirt's CPU comparison says the destination can run the guest's CPU. */
    CPU,
    /** The networks and bridges the guest uses exist on the destination. */
    NETWORK,
    /**
     * The destination's initiator sees each disk as the same export and reads it; it runs after
     * step 3 because a reservation naming only the source refuses the destination's reads (r11 3.5).
     */
    INITIATOR
}
