package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.libvirt.Domain.DomainMigrateParameters;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/** A {@link MigrationCall} as {@code virDomainMigrateToURI3} takes it: typed parameters and flags. */
final class MigrationParameters {

    private MigrationParameters() {
    }

    /**
     * {@code destination_name}, and {@code bandwidth} and {@code bandwidth.postcopy} (MiB/s,
     * unsigned long long) when the call sets them (libvirt's defaults otherwise).
     *
     * <p>The guest keeps its name, which is also libvirt's default; the parameter is there because
     * libvirt-java 0.5.4 cannot pass an empty list (JNA's {@code Structure.toArray(0)} throws).
     */
    static TypedParameter[] of(String guest, MigrationCall call) {
        List<TypedParameter> params = new ArrayList<>();
        params.add(new TypedStringParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, guest));
        if (call.bandwidthMiBps() > 0) {
            params.add(new TypedUlongParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, call.bandwidthMiBps()));
        }
        if (call.postCopyBandwidthMiBps() > 0) {
            params.add(new TypedUlongParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY,
                    call.postCopyBandwidthMiBps()));
        }
        return params.toArray(new TypedParameter[0]);
    }

    /**
     * The call's flags, always with PEER2PEER: migrateToURI3 without it would be a direct
     * migration, which QEMU does not do, and the port promises a peer-to-peer one.
     */
    static int flags(MigrationCall call) {
        long bits = call.flagBits() | MigrationFlag.PEER2PEER.bit();
        return Math.toIntExact(bits);
    }
}
