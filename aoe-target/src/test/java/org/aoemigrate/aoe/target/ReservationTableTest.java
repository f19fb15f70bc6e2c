package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.ReserveCommand;
import org.junit.jupiter.api.Test;

class ReservationTableTest {

    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");

    @Test
    void releasedTableAllowsEveryoneEverything() {
        assertThat(ReservationTable.RELEASED.allowsAta(A, 0x34)).isTrue();
        assertThat(ReservationTable.RELEASED.maySet(ReserveCommand.SET, A)).isTrue();
    }

    @Test
    void reservedTableRefusesOthersAtaCommandsExceptIdentify() {
        ReservationTable t = ReservationTable.of(List.of(A));
        assertThat(t.allowsAta(A, 0x34)).isTrue();
        assertThat(t.allowsAta(B, 0x24)).isFalse();
        assertThat(t.allowsAta(B, 0xE7)).isFalse();
        assertThat(t.allowsAta(B, 0xEC)).isTrue();
    }

    @Test
    void setNeedsMembershipForceSetDoesNot() {
        ReservationTable t = ReservationTable.of(List.of(A, A));
        assertThat(t.holders()).containsExactly(A);
        assertThat(t.maySet(ReserveCommand.SET, A)).isTrue();
        assertThat(t.maySet(ReserveCommand.SET, B)).isFalse();
        assertThat(t.maySet(ReserveCommand.FORCE_SET, B)).isTrue();
    }
}
