package org.aoemigrate.aoe.initiator.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExportIdTest {

    @Test
    void theConfigStringIsIdEqualsTheId() {
        assertThat(ExportId.configString("vm1-disk0")).isEqualTo("id=vm1-disk0");
        assertThat(ExportId.of("id=vm1-disk0")).contains("vm1-disk0");
    }

    @Test
    void anythingElseCarriesNoId() {
        assertThat(ExportId.of("")).isEmpty();
        assertThat(ExportId.of("vm1")).isEmpty();
        assertThat(ExportId.of("id=")).isEmpty();
        assertThat(ExportId.of("id=vm 1")).isEmpty();
        assertThat(ExportId.of("ID=vm1")).isEmpty();
    }

    @Test
    void refusesIdsThatCannotBeWrittenBack() {
        assertThatThrownBy(() -> ExportId.configString("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportId.configString("a b")).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> ExportId.configString("x".repeat(1022))).hasMessageContaining("1 to 1021");
        assertThat(ExportId.configString("x".repeat(1021))).hasSize(1024);
    }
}
