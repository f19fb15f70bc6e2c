package org.aoemigrate.aoe.initiator.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AoeStatTableTest {

    @Test
    void formatsLinesAsAoeStatDoes() {
        // the two lines aoe-stat printed from a fake sysfs (docs: aoe-vblade-probe.md, section 5)
        List<String> lines = AoeStatTable.lines(List.of(
                new AoeStatEntry("e7.12", 21474836480L, "eth2,eth3", 8704, "down,closewait"),
                new AoeStatEntry("e1.1", 131072L, "vI", 1024, "up")), null);

        assertThat(lines).containsExactly(
                "      e1.1         0.067GB         vI 1024  up            ",
                "     e7.12     10995.116GB  eth2,eth3 8704  down,closewait");
    }

    @Test
    void truncatesTheSizeToWholeMegabytes() {
        assertThat(AoeStatTable.gigabytes(0)).isEqualTo("0.000GB");
        assertThat(AoeStatTable.gigabytes(1953)).isEqualTo("0.000GB"); // 999,936 bytes
        assertThat(AoeStatTable.gigabytes(1954)).isEqualTo("0.001GB"); // 1,000,448 bytes
        assertThat(AoeStatTable.gigabytes(2_000_000_000L)).isEqualTo("1024.000GB");
    }

    @Test
    void printsNaForMissingAttributes() {
        List<String> lines = AoeStatTable.lines(List.of(new AoeStatEntry("e1.2", null, null, 1024, null)), null);

        assertThat(lines).containsExactly("      e1.2            (NA)       (NA) 1024  (NA)          ");
    }

    @Test
    void dropsThePayloadColumnWhenNoDeviceHasOne() {
        List<String> lines = AoeStatTable.lines(List.of(new AoeStatEntry("e1.1", 131072L, "eth0", null, "up")), null);

        assertThat(lines).containsExactly("      e1.1         0.067GB   eth0 up            ");
    }

    @Test
    void sortsByLineAndFiltersByAnUnanchoredRegex() {
        List<AoeStatEntry> entries = List.of(
                new AoeStatEntry("e10.0", 2048L, "eth1", 1024, "up"),
                new AoeStatEntry("e2.0", 2048L, "eth1", 1024, "down"),
                new AoeStatEntry("e1.0", 2048L, "eth1", 1024, "up"));

        // right-aligned names sort shorter ones first, as sort(1) does with the leading spaces
        assertThat(AoeStatTable.select(entries, null)).extracting(AoeStatEntry::device)
                .containsExactly("e1.0", "e2.0", "e10.0");
        assertThat(AoeStatTable.select(entries, Pattern.compile("down"))).extracting(AoeStatEntry::device)
                .containsExactly("e2.0");
        assertThat(AoeStatTable.lines(entries, Pattern.compile("e1"))).hasSize(2);
    }
}
