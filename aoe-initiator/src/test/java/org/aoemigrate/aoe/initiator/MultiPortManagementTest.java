package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State changes on a device whose target answers from two ports (one state shared by both). */
class MultiPortManagementTest {

    @TempDir
    Path dir;
    HubLab lab;
    AoeDevice disk;
    MemoryHubPort destination;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        lab.serve(lab.export(new ExportAddress(6, 6), 64, 1, "a", "b").build());
        disk = lab.initiator(HubLab.FAST, lab.initiatorPort("ia", "a", 1500), lab.initiatorPort("ib", "b", 1500))
                .open(new AoeAddress(6, 6));
        destination = lab.initiatorPort("dest", "a", 1500);
        assertThat(disk.targetMacs()).hasSize(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void reservingForAnotherHostSucceedsThroughEveryPortAndFencesThisOne() throws Exception {
        List<MacAddress> dest = List.of(destination.mac());

        assertThat(disk.reserveSet(dest)).containsExactlyElementsOf(dest);

        assertThat(disk.reserveRead()).containsExactlyElementsOf(dest);
        assertThat(disk.reserveReadEachPort()).containsOnlyKeys(disk.targetMacs()).allSatisfy(
                (port, holders) -> assertThat(holders).as("port %s", port).isEqualTo(dest));
        assertThatThrownBy(() -> disk.write(0, ByteBuffer.allocate(1024))).isInstanceOf(TargetReservedException.class);
        assertThatThrownBy(() -> disk.reserveSet(disk.localMacs()))
                .as("now really held by someone else")
                .isInstanceOfSatisfying(TargetReservedException.class, e -> assertThat(e.holders()).isEqualTo(dest));
    }

    @Test
    void configAndMaskEditsGoThroughEveryPort() throws Exception {
        assertThat(disk.configSet("shared").configText()).isEqualTo("shared");
        assertThat(disk.maskAdd(disk.localMacs().toArray(MacAddress[]::new))).containsExactlyElementsOf(disk.localMacs());
        assertThat(disk.maskDelete(disk.localMacs().toArray(MacAddress[]::new))).isEmpty();
        assertThat(disk.configReadEachPort()).containsOnlyKeys(disk.targetMacs()).allSatisfy(
                (port, info) -> assertThat(info.configText()).isEqualTo("shared"));
    }
}
