package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.AoeError;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementTest {

    @TempDir
    Path dir;
    HubLab lab;
    MemoryHubPort myPort;
    MemoryHubPort otherPort;
    AoeInitiator mine;
    AoeInitiator other;
    AoeDevice disk;
    AoeDevice otherDisk;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        lab.serve(lab.export(new ExportAddress(9, 1), 64, 1, "a").initialConfig("pool-a/vm1").build());
        myPort = lab.initiatorPort("me", "a", 1500);
        otherPort = lab.initiatorPort("other", "a", 1500);
        mine = lab.initiator(HubLab.FAST, myPort);
        other = lab.initiator(HubLab.FAST, otherPort);
        disk = mine.open(new AoeAddress(9, 1));
        otherDisk = other.open(new AoeAddress(9, 1));
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Nested
    class ConfigString {

        @Test
        void readsTheStoredString() throws Exception {
            ConfigInfo info = disk.configRead();

            assertThat(info.configText()).isEqualTo("pool-a/vm1");
            assertThat(info.sectorsPerFrame()).isEqualTo(2);
            assertThat(info.bufferCount()).isPositive();
        }

        @Test
        void anExactTestMatchesOnlyTheWholeString() throws Exception {
            assertThat(disk.configTest("pool-a/vm1")).map(ConfigInfo::configText).contains("pool-a/vm1");

            long start = System.nanoTime();
            assertThat(disk.configTest("pool-a")).as("silence is 'no match', not an error").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(HubLab.FAST.silenceTimeout().plusMillis(500));
            assertThat(disk.stats().timeouts()).as("silence is not a timeout").isZero();
        }

        @Test
        void aPrefixTestMatchesPrefixes() throws Exception {
            assertThat(disk.configTestPrefix("pool-a/")).isPresent();
            assertThat(disk.configTestPrefix("")).as("the empty string prefixes everything").isPresent();
            assertThat(disk.configTestPrefix("pool-b/")).isEmpty();
        }

        @Test
        void setRefusesToReplaceAnotherStringAndForceSetDoesIt() throws Exception {
            assertThatThrownBy(() -> disk.configSet("pool-b/vm9"))
                    .isInstanceOfSatisfying(ConfigStringPresentException.class, e -> {
                        assertThat(e.error()).contains(AoeError.CONFIG_STRING_PRESENT);
                        assertThat(e.present().configText()).isEqualTo("pool-a/vm1");
                    })
                    .hasMessageContaining("e9.1")
                    .hasMessageContaining("\"pool-a/vm1\"");

            assertThat(disk.configSet("pool-a/vm1").configText()).as("setting the same string is fine")
                    .isEqualTo("pool-a/vm1");
            assertThat(disk.configForceSet("pool-b/vm9").configText()).isEqualTo("pool-b/vm9");
            assertThat(otherDisk.configRead().configText()).isEqualTo("pool-b/vm9");
            assertThat(disk.configForceSet("").configText()).isEmpty();
            assertThat(disk.configSet("claimed").configText()).as("set claims an empty string").isEqualTo("claimed");
        }
    }

    @Nested
    class MaskList {

        @Test
        void addReadDelete() throws Exception {
            assertThat(disk.maskRead()).isEmpty();

            assertThat(disk.maskAdd(myPort.mac())).containsExactly(myPort.mac());
            assertThat(disk.maskRead()).containsExactly(myPort.mac());
            assertThat(other.discover(new AoeAddress(9, 1), Duration.ofMillis(200)))
                    .as("the mask hides the target from others").isEmpty();

            assertThat(disk.maskDelete(myPort.mac())).isEmpty();
            assertThat(other.discover(new AoeAddress(9, 1), Duration.ofMillis(400))).hasSize(1);
        }
    }

    @Nested
    class Reservation {

        @Test
        void anotherHostsWritesAreRefusedWithError6() throws Exception {
            assertThat(disk.reserveRead()).isEmpty();
            List<MacAddress> me = disk.localMacs();

            assertThat(disk.reserveSet(me)).containsExactlyElementsOf(me);

            assertThatThrownBy(() -> otherDisk.write(0, ByteBuffer.allocate(512)))
                    .isInstanceOfSatisfying(TargetReservedException.class,
                            e -> assertThat(e.error()).contains(AoeError.TARGET_RESERVED))
                    .hasMessageContaining("e9.1")
                    .hasMessageContaining("LBA 0")
                    .hasMessageContaining("error 6 (target reserved)");
            assertThatThrownBy(() -> otherDisk.reserveSet(otherDisk.localMacs()))
                    .isInstanceOfSatisfying(TargetReservedException.class,
                            e -> assertThat(e.holders()).containsExactlyElementsOf(me));
            assertThat(otherDisk.stats().timeouts()).as("a refusal is an answer, not a hang").isZero();

            disk.write(0, ByteBuffer.allocate(512)); // the holder still writes
            assertThat(disk.release()).isEmpty();
            otherDisk.write(0, ByteBuffer.allocate(512));
        }

        @Test
        void aReservedDeviceCanStillBeOpenedAndIdentifiedByOthers() throws Exception {
            disk.reserveSet(disk.localMacs());
            AoeInitiator third = lab.initiator(HubLab.FAST, lab.initiatorPort("third", "a", 1500));

            AoeDevice seen = third.open(new AoeAddress(9, 1)); // IDENTIFY is exempt (as in vblade)

            assertThat(seen.identity().sectors()).isEqualTo(64);
            assertThat(seen.reserveRead()).containsExactlyElementsOf(disk.localMacs());
            assertThatThrownBy(() -> seen.read(0, ByteBuffer.allocate(512))).isInstanceOf(TargetReservedException.class);
        }

        @Test
        void forceSetFencesTheOldHolder() throws Exception {
            disk.reserveSet(disk.localMacs());

            assertThat(otherDisk.reserveForceSet(otherDisk.localMacs())).containsExactlyElementsOf(otherDisk.localMacs());

            assertThatThrownBy(() -> disk.write(0, ByteBuffer.allocate(512))).isInstanceOf(TargetReservedException.class);
            otherDisk.write(0, ByteBuffer.allocate(512));
            assertThat(disk.forceRelease()).isEmpty();
        }
    }
}
