package org.aoemigrate.orchestrator.hypervisor;

/** The virDomainMigrateFlags aoemigrate uses, with libvirt's bit values (libvirt-domain.h). */
public enum MigrationFlag {
    LIVE(1L),
    /** The source libvirtd drives the migration, so it survives the client's loss. */
    PEER2PEER(1L << 1),
    /** Define the guest on the destination. */
    PERSIST_DEST(1L << 3),
    /** Remove the definition from the source, so nobody starts the old copy later. */
    UNDEFINE_SOURCE(1L << 4),
    /** Leave the guest paused on the destination (fenced cutover). */
    PAUSED(1L << 5),
    ABORT_ON_ERROR(1L << 12),
    /** QEMU throttles the vCPUs when the guest dirties memory faster than it is sent. */
    AUTO_CONVERGE(1L << 13),
    /** Allow a later switch to post-copy ({@code virDomainMigrateStartPostCopy}). */
    POSTCOPY(1L << 15);

    private final long bit;

    MigrationFlag(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }
}
