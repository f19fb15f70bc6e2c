package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {

    @TempDir
    Path dir;
    HubLab lab;

    @BeforeEach
    void setUp() {
        lab = new HubLab(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void findsAnExportWithWhatItAdvertises() throws Exception {
        MacAddress targetMac = lab.targetInterface("t0", "a", 9000);
        lab.serve(ExportSpec.builder(new ExportAddress(7, 3), lab.disk("d", 64, 1), "t0")
                .bufferCount(24).initialConfig("vm-disk-1").build());
        MemoryHubPort port = lab.initiatorPort("i0", "a", 9000);
        AoeInitiator aoe = lab.initiator(HubLab.FAST, port);

        List<DiscoveredTarget> found = aoe.discover();

        assertThat(found).hasSize(1);
        DiscoveredTarget t = found.get(0);
        assertThat(t.address()).isEqualTo(new AoeAddress(7, 3));
        assertThat(t.paths()).containsExactly(new TargetPath("i0", targetMac, 24, 17));
        assertThat(t.bufferCount()).isEqualTo(24);
        assertThat(t.sectorsPerFrame()).as("(9000 - 36) / 512").isEqualTo(17);
        assertThat(t.configText()).isEqualTo("vm-disk-1");
        assertThat(t.firmwareVersion()).isNotZero();
    }

    @Test
    void theSmallerMtuOfInitiatorAndTargetSetsTheFrameSize() throws Exception {
        lab.targetInterface("t0", "a", 9000);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("d", 64, 1), "t0").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("i0", "a", 1500));

        assertThat(aoe.discover().get(0).sectorsPerFrame()).as("(1500 - 36) / 512").isEqualTo(2);
    }

    @Test
    void findsTwoExportsSortedByAddress() throws Exception {
        lab.targetInterface("t0", "a", 1500);
        lab.serve(ExportSpec.builder(new ExportAddress(2, 0), lab.disk("d2", 64, 2), "t0").build(),
                ExportSpec.builder(new ExportAddress(1, 5), lab.disk("d1", 64, 1), "t0").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("i0", "a", 1500));

        assertThat(aoe.discover()).extracting(DiscoveredTarget::address)
                .containsExactly(new AoeAddress(1, 5), new AoeAddress(2, 0));
        assertThat(aoe.discover(new AoeAddress(2, 0), Duration.ofMillis(100))).extracting(DiscoveredTarget::address)
                .containsExactly(new AoeAddress(2, 0));
        assertThat(aoe.discover(new AoeAddress(3, 0), Duration.ofMillis(100))).isEmpty();
    }

    @Test
    void anExportOnTwoSegmentsHasTwoPaths() throws Exception {
        MacAddress ta = lab.targetInterface("ta", "a", 1500);
        MacAddress tb = lab.targetInterface("tb", "b", 1500);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("d", 64, 1), "ta", "tb").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("ia", "a", 1500),
                lab.initiatorPort("ib", "b", 1500));

        List<DiscoveredTarget> found = aoe.discover();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).paths()).extracting(TargetPath::label).containsExactly("ia->" + ta, "ib->" + tb);
        assertThat(found.get(0).links()).containsExactly("ia", "ib");
    }

    @Test
    void aRoundEndsSoonAfterTheAnswersItWaitsForAndStillHearsTheOnesJustAfter() throws Exception {
        MacAddress ta = lab.targetInterface("ta", "a", 1500);
        MacAddress other = lab.targetInterface("tx", "a", 1500);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("d", 64, 1), "ta").build());
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("x", 64, 2), "tx").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("ia", "a", 1500));

        long start = System.nanoTime();
        List<DiscoveredTarget> found = aoe.discover(new AoeAddress(1, 1), Duration.ofSeconds(10),
                answers -> answers.stream().anyMatch(t -> t.paths().stream().anyMatch(p -> p.target().equals(ta))),
                Duration.ofMillis(200));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("ended by the answer, not by the 10 s wait").isLessThan(Duration.ofSeconds(5));
        assertThat(found.get(0).paths()).extracting(TargetPath::target).as("the other answered in the grace")
                .containsExactlyInAnyOrder(ta, other);
    }

    @Test
    void aRoundWhoseAnswersNeverSufficeRunsItsWholeWait() throws Exception {
        lab.targetInterface("ta", "a", 1500);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("d", 64, 1), "ta").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("ia", "a", 1500));

        long start = System.nanoTime();
        List<DiscoveredTarget> found = aoe.discover(new AoeAddress(1, 1), Duration.ofMillis(500), answers -> false,
                Duration.ZERO);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(found).hasSize(1);
    }

    @Test
    void findsNothingOnAnEmptySegment() throws Exception {
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("i0", "a", 1500));

        assertThat(aoe.discover()).isEmpty();
    }

    @Test
    void openingAnAddressNobodyServesSaysWhatToCheck() throws Exception {
        lab.targetInterface("t0", "a", 1500);
        lab.serve(ExportSpec.builder(new ExportAddress(1, 1), lab.disk("d", 64, 1), "t0").build());
        AoeInitiator aoe = lab.initiator(HubLab.FAST, lab.initiatorPort("i0", "a", 1500));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aoe.open(new AoeAddress(1, 2)))
                .isInstanceOf(AoeException.class)
                .hasMessageContaining("e1.2 did not answer Query Config on i0")
                .hasMessageContaining("mask list");
    }
}
