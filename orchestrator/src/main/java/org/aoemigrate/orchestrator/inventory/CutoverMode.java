package org.aoemigrate.orchestrator.inventory;

/** How ownership of the disks passes to the destination at the end of a migration. */
public enum CutoverMode {
    /**
     * libvirt resumes the guest on the destination, then the reservation becomes {destination}.
     * The source is paused and then gone during that gap, so it cannot write; the fence makes
     * sure it never can again.
     */
    FAST,
    /**
     * Migrate with PAUSED; check the device on the destination again, set the reservation to
     * {destination}, and only then resume. Costs the check's time in downtime; the guest never
     * runs before the old host is fenced.
     */
    FENCED
}
