package org.aoemigrate.orchestrator.hypervisor;

/** A domain's run state on one host, reduced to what migration decisions need. */
public enum DomainState {
    RUNNING,
    /** Active but its vCPUs stopped: it still owns its memory and may be resumed; it counts as running somewhere. */
    PAUSED,
    /** Defined but not active. */
    SHUT_OFF,
    CRASHED,
    /** libvirt's other states (blocked, shutting down, PM-suspended): active, not a migration candidate. */
    OTHER;

    /** True if a QEMU process exists for the domain on that host: such a host may write its disks. */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == OTHER;
    }
}
