package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskError;
import org.junit.jupiter.api.Test;

/** vblade 25 corrupts the list from 2 entries on and aborts on deletes; these must hold at any size. */
class MaskListTest {

    private static MacAddress mac(int i) {
        return new MacAddress(0x0200_0000_0000L + i);
    }

    private static MaskDirective add(int i) {
        return new MaskDirective(1, mac(i));
    }

    private static MaskDirective delete(int i) {
        return new MaskDirective(2, mac(i));
    }

    @Test
    void addsAppendInOrderAtEverySize() {
        MaskList list = MaskList.EMPTY;
        for (int i = 0; i < 255; i++) {
            MaskList.Edit e = list.edit(List.of(add(i)), 255);
            assertThat(e.ok()).isTrue();
            list = e.list();
            assertThat(list.macs()).hasSize(i + 1).endsWith(mac(i));
        }
        assertThat(list.macs()).containsExactlyElementsOf(IntStream.range(0, 255).mapToObj(MaskListTest::mac).toList());
    }

    @Test
    void deletesAnyEntryAtEverySizeKeepingTheRest() {
        for (int size = 1; size <= 40; size++) {
            for (int victim = 0; victim < size; victim++) {
                List<MacAddress> start = IntStream.range(0, size).mapToObj(MaskListTest::mac).toList();
                MaskList.Edit e = new MaskList(start).edit(List.of(delete(victim)), 255);
                List<MacAddress> expected = new ArrayList<>(start);
                expected.remove(mac(victim));
                assertThat(e.ok()).isTrue();
                assertThat(e.list().macs()).as("delete %d of %d", victim, size).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void duplicateAddAndAbsentDeleteAreNoOps() {
        MaskList.Edit e = MaskList.EMPTY.edit(List.of(add(1), add(2), add(1), delete(9), new MaskDirective(0, mac(7))), 255);
        assertThat(e.ok()).isTrue();
        assertThat(e.list().macs()).containsExactly(mac(1), mac(2));
    }

    @Test
    void badDirectiveStopsTheEditKeepingEarlierDirectivesAndNamingItsIndex() {
        MaskList.Edit e = MaskList.EMPTY.edit(List.of(add(1), new MaskDirective(7, mac(2)), add(3)), 255);
        assertThat(e.error()).isEqualTo(MaskError.BAD_DIRECTIVE);
        assertThat(e.failedIndex()).isEqualTo(1);
        assertThat(e.list().macs()).containsExactly(mac(1));
    }

    @Test
    void addBeyondCapacityIsListFullButAddingAPresentMacIsNot() {
        MaskList full = new MaskList(List.of(mac(1), mac(2)));
        MaskList.Edit dup = full.edit(List.of(add(2)), 2);
        assertThat(dup.ok()).isTrue();
        MaskList.Edit e = full.edit(List.of(delete(1), add(3), add(4)), 2);
        assertThat(e.error()).isEqualTo(MaskError.LIST_FULL);
        assertThat(e.failedIndex()).isEqualTo(2);
        assertThat(e.list().macs()).containsExactly(mac(2), mac(3));
    }

    @Test
    void capacityIsWhatOneReplyFrameCanList() {
        assertThat(MaskList.capacity(1500)).isEqualTo(185); // 28 + 8 * 185 = 1508 <= 1514
        assertThat(28 + 8 * (MaskList.capacity(1500) + 1)).isGreaterThan(1514);
        assertThat(MaskList.capacity(9000)).isEqualTo(255);
    }

    @Test
    void emptyListAdmitsEveryoneNonEmptyOnlyMembers() {
        assertThat(MaskList.EMPTY.admits(mac(5))).isTrue();
        MaskList l = MaskList.of(List.of(mac(1), mac(1)));
        assertThat(l.macs()).containsExactly(mac(1));
        assertThat(l.admits(mac(1))).isTrue();
        assertThat(l.admits(mac(5))).isFalse();
    }
}
