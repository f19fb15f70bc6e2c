package org.aoemigrate.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain.MigrateFlags;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

class MigrationParametersTest {

    private static final String DESTINATION = "qemu+tcp://10.211.0.12/system";

    @Test
    void theFlagsAreLibvirtsBits() {
        MigrationCall call = new MigrationCall(DESTINATION, EnumSet.allOf(MigrationFlag.class), 0);

        // libvirt-java's own constants, from libvirt-domain.h, against the port's
        assertThat(MigrationParameters.flags(call)).isEqualTo(MigrateFlags.LIVE | MigrateFlags.PEER2PEER
                | MigrateFlags.PERSIST_DEST | MigrateFlags.UNDEFINE_SOURCE | MigrateFlags.PAUSED
                | MigrateFlags.ABORT_ON_ERROR | MigrateFlags.AUTO_CONVERGE | MigrateFlags.POSTCOPY);
    }

    @Test
    void everyMigrationIsPeerToPeer() {
        MigrationCall call = new MigrationCall(DESTINATION, Set.of(MigrationFlag.LIVE), 0);

        assertThat(MigrationParameters.flags(call)).isEqualTo(MigrateFlags.LIVE | MigrateFlags.PEER2PEER);
    }

    @Test
    void aBandwidthIsAnUnsignedLongInMiBPerSecond() {
        TypedParameter[] params = MigrationParameters.of("vm1", new MigrationCall(DESTINATION, Set.of(), 1));

        assertThat(params).hasSize(2);
        assertThat(params[1]).isInstanceOfSatisfying(TypedUlongParameter.class, p -> {
            assertThat(p.field).isEqualTo("bandwidth");
            assertThat(p.value).isEqualTo(1);
        });
    }

    @Test
    void aPostCopyBandwidthIsItsOwnParameter() {
        TypedParameter[] params = MigrationParameters.of("vm1", new MigrationCall(DESTINATION, Set.of(), 0, 4));

        assertThat(params).hasSize(2);
        assertThat(params[1]).isInstanceOfSatisfying(TypedUlongParameter.class, p -> {
            assertThat(p.field).isEqualTo("bandwidth.postcopy");
            assertThat(p.value).isEqualTo(4);
        });
    }

    @Test
    void theGuestKeepsItsNameSoTheListIsNeverEmpty() {
        TypedParameter[] params = MigrationParameters.of("vm1", new MigrationCall(DESTINATION, Set.of(), 0));

        assertThat(params).singleElement().isInstanceOfSatisfying(TypedStringParameter.class, p -> {
            assertThat(p.field).isEqualTo("destination_name");
            assertThat(p.value).isEqualTo("vm1");
        });
    }
}
