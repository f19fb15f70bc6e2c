package org.aoemigrate.aoe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.aoemigrate.aoe.testing.Pcapng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifyPageTest {

    private static int word(byte[] page, int word) {
        return Short.toUnsignedInt(ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getShort(2 * word));
    }

    @Test
    void advertisesLbaLba48AndBothFlushCommands() {
        byte[] page = IdentifyPage.of(131072, "aoemigrate", "1.1:host", "0.1").toBytes();

        assertThat(page).hasSize(512);
        assertThat(word(page, 49)).as("w49 LBA").isEqualTo(0x0200);
        assertThat(word(page, 83)).as("w83: valid, LBA48, FLUSH CACHE, FLUSH CACHE EXT").isEqualTo(0x7400);
        assertThat(word(page, 84)).isEqualTo(0x4000);
        assertThat(word(page, 86)).as("w86: the same features enabled").isEqualTo(0x3400);
        assertThat(word(page, 87)).isEqualTo(0x4000);
        assertThat(word(page, 60) | word(page, 61) << 16).isEqualTo(131072);
        assertThat(word(page, 100)).isEqualTo(0);
        assertThat(word(page, 101)).isEqualTo(2);
        assertThat(word(page, 102) | word(page, 103)).isZero();
    }

    @Test
    void lba28CapacityIsClampedAndTheFullSizeGoesInWords100To103() {
        long sectors = 0x1234_5678_9ABCL;
        byte[] page = IdentifyPage.of(sectors, "m", "s", "f").toBytes();

        assertThat(word(page, 60) | (long) word(page, 61) << 16).isEqualTo(0x0FFF_FFFFL);
        long lba48 = word(page, 100) | (long) word(page, 101) << 16 | (long) word(page, 102) << 32
                | (long) word(page, 103) << 48;
        assertThat(lba48).isEqualTo(sectors);
    }

    @Test
    void stringsAreLaidOutAsVbladeLaysThemOut() {
        // step1.pcap #6: vblade's IDENTIFY reply; the page starts at frame offset 36.
        byte[] vblade = Arrays.copyOfRange(Pcapng.framesOfResource("/vblade-capture/step1.pcap").get(5), 36, 36 + 512);

        byte[] ours = IdentifyPage.of(131072, "Coraid EtherDrive vblade", "1.1:vm", "V25").toBytes();

        assertThat(new String(Arrays.copyOfRange(ours, 20, 40))).isEqualTo(".1:1mv              ");
        assertThat(Arrays.copyOfRange(ours, 20, 94)).as("words 10-46").isEqualTo(Arrays.copyOfRange(vblade, 20, 94));
        assertThat(Arrays.copyOfRange(ours, 120, 124)).as("words 60-61").isEqualTo(Arrays.copyOfRange(vblade, 120, 124));
        assertThat(Arrays.copyOfRange(ours, 200, 208)).as("words 100-103").isEqualTo(Arrays.copyOfRange(vblade, 200, 208));
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void parsesWhatItBuilds(BufferKind kind) throws Exception {
        IdentifyPage page = IdentifyPage.of(0x1_0000_0000L, "aoemigrate target", "7.3:host-a", "0.1.0");
        ByteBuffer buffer = kind.allocate(512);
        page.write(buffer, buffer.position());

        assertThat(IdentifyPage.parse(buffer)).isEqualTo(page);
    }

    @Test
    void aPageWithoutLba48ReportsTheLba28Capacity() throws Exception {
        IdentifyPage old = new IdentifyPage(1_000_000, false, "old disk", "1", "1");
        byte[] bytes = old.toBytes();

        assertThat(word(bytes, 83) & 0x0400).isZero();
        assertThat(word(bytes, 86) & 0x0400).isZero();
        assertThat(IdentifyPage.parse(ByteBuffer.wrap(bytes))).isEqualTo(old);
    }

    @Test
    void longStringsAreCutToTheirWords() {
        IdentifyPage page = IdentifyPage.of(1, "m".repeat(50), "s".repeat(30), "f".repeat(9));

        assertThat(page.model()).hasSize(40);
        assertThat(page.serial()).hasSize(20);
        assertThat(page.firmware()).hasSize(8);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 36, 511})
    void aShortPageIsAProtocolError(int length) {
        assertThatThrownBy(() -> IdentifyPage.parse(ByteBuffer.allocate(length)))
                .isInstanceOf(AoeProtocolException.class)
                .hasMessageContaining(length + " bytes is shorter than 512");
    }

    @Test
    void refusesCapacitiesBeyond48Bits() {
        assertThatThrownBy(() -> IdentifyPage.of(1L << 48, "m", "s", "f")).hasMessageContaining("2^48");
        assertThatThrownBy(() -> IdentifyPage.of(-1, "m", "s", "f")).hasMessageContaining("2^48");
    }
}
