package org.aoemigrate.aoe.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoOrderTest {

    private final IoOrder order = new IoOrder();

    private static IoRequest request(IoRequest.Kind kind, long lba, int count) {
        IoRequest r = new IoRequest(0);
        r.kind = kind;
        r.lba = lba;
        r.count = count;
        return r;
    }

    private static IoRequest read(long lba, int count) {
        return request(IoRequest.Kind.READ, lba, count);
    }

    private static IoRequest write(long lba, int count) {
        return request(IoRequest.Kind.WRITE, lba, count);
    }

    private static IoRequest flush() {
        return request(IoRequest.Kind.FLUSH, 0, 0);
    }

    private static List<IoRequest> chain(IoRequest first) {
        List<IoRequest> released = new ArrayList<>();
        for (IoRequest r = first; r != null; r = r.nextReleased) {
            released.add(r);
        }
        return released;
    }

    @Test
    void readsRunTogetherEvenOnTheSameSectors() {
        assertThat(order.admit(read(0, 8))).isTrue();
        assertThat(order.admit(read(4, 8))).isTrue();
        assertThat(order.admit(read(0, 8))).isTrue();
        assertThat(order.inFlight()).isEqualTo(3);
    }

    @Test
    void writesToOtherSectorsRunTogether() {
        assertThat(order.admit(write(0, 2))).isTrue();
        assertThat(order.admit(write(2, 2))).isTrue();
        assertThat(order.admit(read(4, 2))).isTrue();
        assertThat(order.admit(write(6, 1))).isTrue();
    }

    @Test
    void aWriteWaitsForAnEarlierOverlappingWriteAndRunsWhenItIsDone() {
        IoRequest first = write(10, 2);
        IoRequest stale = write(11, 2);
        assertThat(order.admit(first)).isTrue();
        assertThat(order.admit(stale)).as("overlaps sector 11").isFalse();
        assertThat(chain(order.complete(first))).containsExactly(stale);
        assertThat(chain(order.complete(stale))).isEmpty();
        assertThat(order.inFlight()).isZero();
    }

    @Test
    void aReadWaitsForAnEarlierOverlappingWriteAndAWriteForAnEarlierOverlappingRead() {
        IoRequest w = write(0, 4);
        IoRequest r = read(3, 4);
        IoRequest w2 = write(6, 1);
        assertThat(order.admit(w)).isTrue();
        assertThat(order.admit(r)).isFalse();
        assertThat(order.admit(w2)).as("sector 6 is read by the held read before it").isFalse();
        assertThat(chain(order.complete(w))).containsExactly(r);
        assertThat(chain(order.complete(r))).containsExactly(w2);
    }

    @Test
    void aHeldRequestHoldsBackLaterOnesItConflictsWithButNotOthers() {
        IoRequest w = write(0, 1);
        IoRequest heldWrite = write(0, 2);
        IoRequest behindHeld = read(1, 1);
        IoRequest elsewhere = read(5, 1);
        order.admit(w);
        assertThat(order.admit(heldWrite)).isFalse();
        assertThat(order.admit(behindHeld)).as("sector 1 is written by the held write first").isFalse();
        assertThat(order.admit(elsewhere)).isTrue();
        assertThat(chain(order.complete(w))).containsExactly(heldWrite);
        assertThat(chain(order.complete(elsewhere))).isEmpty();
        assertThat(chain(order.complete(heldWrite))).containsExactly(behindHeld);
    }

    @Test
    void releasesComeInArrivalOrder() {
        IoRequest w = write(0, 8);
        IoRequest a = read(0, 1);
        IoRequest b = read(7, 1);
        IoRequest c = write(4, 1);
        order.admit(w);
        order.admit(a);
        order.admit(b);
        order.admit(c);
        assertThat(chain(order.complete(w))).containsExactly(a, b, c);
    }

    @Test
    void aFlushWaitsForEveryEarlierWriteButNotForReadsAndNothingWaitsForIt() {
        IoRequest farWrite = write(1000, 1);
        IoRequest r = read(0, 1);
        IoRequest f = flush();
        assertThat(order.admit(farWrite)).isTrue();
        assertThat(order.admit(r)).isTrue();
        assertThat(order.admit(f)).as("the write before it, wherever it is").isFalse();
        assertThat(order.admit(write(1000, 1))).as("a later write waits for the earlier write only")
                .isFalse();
        assertThat(order.admit(write(5, 1))).as("not for the flush").isTrue();
        assertThat(chain(order.complete(r))).isEmpty();
        assertThat(chain(order.complete(farWrite))).hasSize(2).startsWith(f);
    }

    @Test
    void aFlushWithNoWriteBeforeItRunsAtOnce() {
        order.admit(read(0, 4));
        assertThat(order.admit(flush())).isTrue();
    }

    @Test
    void zeroSectorRequestsOverlapNothing() {
        order.admit(write(3, 1));
        assertThat(order.admit(read(3, 0))).isTrue();
        assertThat(order.admit(write(4, 0))).isTrue();
    }

    @Test
    void completingAHeldRequestIsABug() {
        IoRequest w = write(0, 1);
        IoRequest held = write(0, 1);
        order.admit(w);
        order.admit(held);
        assertThatThrownBy(() -> order.complete(held)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still held back");
    }
}
