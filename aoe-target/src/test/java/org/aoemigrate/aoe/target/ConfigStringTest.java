package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.aoemigrate.aoe.target.ConfigString.Outcome;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.junit.jupiter.api.Test;

/** The r11 3.2 arbitration table, as probed against vblade (aoe-vblade-probe.md section 4). */
class ConfigStringTest {

    private static final ConfigString EMPTY = ConfigString.EMPTY;
    private static final ConfigString HOST_A = ConfigString.ofText("hostA");

    @Test
    void readAlwaysAnswersWithTheStoredStringAndIgnoresTheRequestsString() {
        var d = HOST_A.apply(ConfigSubcommand.READ, ConfigString.ofText("other"));
        assertThat(d.outcome()).isEqualTo(Outcome.ANSWER);
        assertThat(d.string()).isEqualTo(HOST_A);
    }

    @Test
    void exactTestAnswersOnlyOnEqualStringsEmptyIncluded() {
        assertThat(EMPTY.apply(ConfigSubcommand.TEST, EMPTY).outcome()).isEqualTo(Outcome.ANSWER);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST, ConfigString.ofText("hostA")).outcome()).isEqualTo(Outcome.ANSWER);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST, ConfigString.ofText("host")).outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST, EMPTY).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void prefixTestAnswersWhenTheRequestIsAPrefix() {
        assertThat(HOST_A.apply(ConfigSubcommand.TEST_PREFIX, ConfigString.ofText("host")).outcome()).isEqualTo(Outcome.ANSWER);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST_PREFIX, EMPTY).outcome()).isEqualTo(Outcome.ANSWER);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST_PREFIX, ConfigString.ofText("hostAB")).outcome()).isEqualTo(Outcome.SILENCE);
        assertThat(HOST_A.apply(ConfigSubcommand.TEST_PREFIX, ConfigString.ofText("hostB")).outcome()).isEqualTo(Outcome.SILENCE);
    }

    @Test
    void setStoresOverEmptyOrEqualAndRefusesADifferentStringWithTheCurrentOne() {
        assertThat(EMPTY.apply(ConfigSubcommand.SET, HOST_A)).isEqualTo(new ConfigString.Decision(Outcome.ANSWER, HOST_A));
        assertThat(HOST_A.apply(ConfigSubcommand.SET, HOST_A)).isEqualTo(new ConfigString.Decision(Outcome.ANSWER, HOST_A));
        assertThat(HOST_A.apply(ConfigSubcommand.SET, ConfigString.ofText("hostB")))
                .isEqualTo(new ConfigString.Decision(Outcome.STRING_PRESENT, HOST_A));
    }

    @Test
    void forceSetAlwaysStoresAndEmptyClears() {
        assertThat(HOST_A.apply(ConfigSubcommand.FORCE_SET, ConfigString.ofText("hostB")).string())
                .isEqualTo(ConfigString.ofText("hostB"));
        assertThat(HOST_A.apply(ConfigSubcommand.FORCE_SET, EMPTY).string()).isEqualTo(EMPTY);
    }

    @Test
    void holdsAtMost1024Bytes() {
        assertThat(ConfigString.of(new byte[1024]).length()).isEqualTo(1024);
        assertThatThrownBy(() -> ConfigString.of(new byte[1025])).hasMessageContaining("at most 1024 bytes");
    }

    @Test
    void roundTripsThroughHex() {
        ConfigString binary = ConfigString.of(new byte[] {0, (byte) 0xFF, 0x41});
        assertThat(ConfigString.ofHex(binary.toHex())).isEqualTo(binary);
        assertThat(binary.toString()).isEqualTo("0x00ff41");
        assertThat(HOST_A.toString()).isEqualTo("\"hostA\"");
    }
}
