package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExportAddressTest {

    @ParameterizedTest
    @CsvSource({"0,0", "4094,254", "4096,0", "65534,254", "1,1"})
    void acceptsAddressesAnInitiatorCanUse(int shelf, int slot) {
        assertThat(new ExportAddress(shelf, slot).toString()).isEqualTo("e" + shelf + "." + slot);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "4095|0|shelf 4095 is reserved (Linux rejects it as all ones); use 0-4094 or 4096-65534",
        "65535|0|shelf 65535 is the broadcast shelf (it addresses every shelf); use 0-4094 or 4096-65534",
        "70000|1|shelf 70000 is outside the 16-bit shelf field; use 0-4094 or 4096-65534",
        "-1|1|shelf -1 is outside the 16-bit shelf field; use 0-4094 or 4096-65534",
        "1|255|slot 255 is the broadcast slot (it addresses every slot); use 0-254",
        "1|256|slot 256 is outside the 8-bit slot field; use 0-254"})
    void refusesAddressesVbladeTruncatesWithAMessageSayingWhatIsAllowed(int shelf, int slot, String message) {
        assertThatThrownBy(() -> new ExportAddress(shelf, slot)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void matchesOwnAddressAndWildcards() {
        ExportAddress a = new ExportAddress(7, 3);
        assertThat(a.isAddressedBy(7, 3)).isTrue();
        assertThat(a.isAddressedBy(0xFFFF, 3)).isTrue();
        assertThat(a.isAddressedBy(7, 0xFF)).isTrue();
        assertThat(a.isAddressedBy(0xFFFF, 0xFF)).isTrue();
        assertThat(a.isAddressedBy(7, 4)).isFalse();
        assertThat(a.isAddressedBy(6, 0xFF)).isFalse();
    }

    @Test
    void parsesLinuxDeviceNames() {
        assertThat(ExportAddress.parse("e12.3")).isEqualTo(new ExportAddress(12, 3));
        assertThat(ExportAddress.parse("12.3")).isEqualTo(new ExportAddress(12, 3));
        assertThatThrownBy(() -> ExportAddress.parse("e12")).hasMessageContaining("write eSHELF.SLOT");
        assertThatThrownBy(() -> ExportAddress.parse("e4095.1")).hasMessageContaining("shelf 4095 is reserved");
    }
}
