package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagTableTest {

    private static final ReplySink SINK = (ex, tag, frame, link) -> { };
    private static final ReplySink OTHER = (ex, tag, frame, link) -> { };

    @Test
    void tagsHaveBit31SetAndNeverRepeatWhileInFlight() {
        TagTable tags = new TagTable();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < TagTable.SIZE; i++) {
            Exchange ex = tags.acquire(SINK);
            for (int resend = 0; resend < 3; resend++) {
                int tag = tags.nextTag(ex);
                assertThat(tag & 0x8000_0000).isNotZero();
                assertThat(seen.add(tag)).isTrue();
                assertThat(tags.lookup(tag)).isSameAs(ex);
            }
        }
        assertThat(tags.acquire(SINK)).as("every slot in flight").isNull();
        assertThat(tags.inFlight()).isEqualTo(TagTable.SIZE);
    }

    @Test
    void aSlotOwnsEveryTagOfItsRequestButNoneOfTheNextOne() {
        TagTable tags = new TagTable();
        Exchange ex = tags.acquire(SINK);
        int first = tags.nextTag(ex);
        int resent = tags.nextTag(ex);

        assertThat(tags.owns(ex, first)).as("a late answer to the first copy").isTrue();
        assertThat(tags.owns(ex, resent)).isTrue();
        assertThat(tags.isFirst(ex, first)).isTrue();
        assertThat(tags.isFirst(ex, resent)).isFalse();

        tags.release(ex);
        assertThat(tags.lookup(first)).as("free slots match nothing").isNull();

        Exchange again = acquireSlot(tags, ex.index);
        int next = tags.nextTag(again);
        assertThat(tags.owns(again, next)).isTrue();
        assertThat(tags.owns(again, first)).as("the previous request's tags are stale").isFalse();
        assertThat(tags.owns(again, resent)).isFalse();
    }

    @Test
    void tagsWithoutBit31AreNotOurs() {
        TagTable tags = new TagTable();
        Exchange ex = tags.acquire(SINK);
        int tag = tags.nextTag(ex);

        assertThat(tags.lookup(tag & 0x7FFF_FFFF)).isNull();
        assertThat(tags.lookup(0)).as("vblade's start-up advert").isNull();
    }

    @Test
    void twoSessionsIssueDifferentTags() {
        int a = tags(new TagTable());
        int b = tags(new TagTable());

        assertThat(a).as("a per-session key makes tags unpredictable").isNotEqualTo(b);
    }

    private static int tags(TagTable t) {
        return t.nextTag(t.acquire(SINK));
    }

    /** Takes slots until the one with {@code index} comes back (the free list is a stack). */
    private static Exchange acquireSlot(TagTable tags, int index) {
        Exchange ex = tags.acquire(OTHER);
        assertThat(ex.index).isEqualTo(index);
        ex.sink = SINK;
        return ex;
    }
}
