package org.aoemigrate.orchestrator.planner;

/** Why a host cannot take a guest, in the order {@link Placement#misfit} checks them. */
enum Misfit {
    /** The guest is already there. */
    SAME_HOST,
    /** The host is in maintenance or being drained. */
    TAKES_NO_GUESTS,
    /** The host's CPU cannot run the guest's CPU. */
    CPU_MODEL,
    /** The host runs another guest of one of the guest's anti-affinity groups. */
    ANTI_AFFINITY,
    /** The guest's memory would eat into the host's memory headroom. */
    MEMORY,
    /** The guest's recent CPU use would eat into the host's CPU headroom. */
    CPU_USE,
    /** The host would have more vCPUs per CPU than allowed. */
    VCPUS
}
