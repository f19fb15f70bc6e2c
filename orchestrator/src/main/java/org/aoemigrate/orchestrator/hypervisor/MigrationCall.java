package org.aoemigrate.orchestrator.hypervisor;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One peer-to-peer migration as libvirt gets it: {@code virDomainMigrateToURI3(dconnuri, params, flags)}.
 *
 * @param destinationUri the destination libvirtd's URI, as the source libvirtd reaches it
 *                       (the inventory's migrationUri)
 * @param flags          see {@link MigrationFlag}
 * @param bandwidthMiBps the {@code bandwidth} typed parameter; 0 leaves libvirt's default
 * @param postCopyBandwidthMiBps the {@code bandwidth.postcopy} typed parameter, the limit once the
 *                       job has switched to post-copy (pre-copy's limit does not apply then); 0
 *                       leaves it unlimited, libvirt's default
 */
public record MigrationCall(String destinationUri, Set<MigrationFlag> flags, long bandwidthMiBps,
        long postCopyBandwidthMiBps) {

    public MigrationCall {
        Objects.requireNonNull(destinationUri, "destinationUri");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** A call with no post-copy limit. */
    public MigrationCall(String destinationUri, Set<MigrationFlag> flags, long bandwidthMiBps) {
        this(destinationUri, flags, bandwidthMiBps, 0);
    }

    /** The flags as libvirt's bit mask. */
    public long flagBits() {
        return flags.stream().mapToLong(MigrationFlag::bit).reduce(0, (a, b) -> a | b);
    }

    public boolean has(MigrationFlag flag) {
        return flags.contains(flag);
    }
}
