package org.aoemigrate.aoe.link;

import static org.aoemigrate.aoe.link.TestFrames.aoe;
import static org.aoemigrate.aoe.link.TestFrames.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.Test;

class MemoryHubTest {

    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("02:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.parse("02:00:00:00:00:0c");
    private static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");

    private final MemoryHub hub = new MemoryHub();
    private final MemoryHubPort a = hub.port("a", A, 1500);
    private final MemoryHubPort b = hub.port("b", B, 1500);
    private final MemoryHubPort c = hub.port("c", C, 1500);
    private final ByteBuffer rx = ByteBuffer.allocate(9100);

    @Test
    void broadcastReachesEveryOtherPortButNotTheSender() throws Exception {
        ByteBuffer frame = aoe(MacAddress.BROADCAST, A, 60, 1);
        a.send(frame.duplicate());

        assertThat(b.receive(rx, 0)).isTrue();
        assertThat(bytes(rx)).isEqualTo(bytes(frame));
        assertThat(c.receive(rx, 0)).isTrue();
        assertThat(bytes(rx)).isEqualTo(bytes(frame));
        assertThat(a.receive(rx, 0)).isFalse();
    }

    @Test
    void multicastIsFloodedLikeBroadcast() throws Exception {
        a.send(aoe(MULTICAST, A, 60, 1));

        assertThat(b.receive(rx, 0)).isTrue();
        assertThat(c.receive(rx, 0)).isTrue();
        assertThat(a.queued()).isZero();
    }

    @Test
    void unicastReachesOnlyTheAddressedPort() throws Exception {
        ByteBuffer frame = aoe(C, A, 1514, 7);
        a.send(frame.duplicate());

        assertThat(b.receive(rx, 0)).isFalse();
        assertThat(c.receive(rx, 0)).isTrue();
        assertThat(bytes(rx)).isEqualTo(bytes(frame));
    }

    @Test
    void portDoesNotReceiveUnicastToItsOwnMac() throws Exception {
        a.send(aoe(A, A, 60, 1));

        assertThat(a.queued()).isZero();
        assertThat(b.queued()).isZero();
    }

    @Test
    void sendMovesPositionAndCopiesTheFrameSoTheBufferCanBeReused() throws Exception {
        ByteBuffer frame = aoe(B, A, 60, 1);
        byte[] original = bytes(frame);
        a.send(frame);
        assertThat(frame.hasRemaining()).isFalse();

        frame.clear();
        frame.put(20, (byte) 0x55);

        b.receive(rx, 0);
        assertThat(bytes(rx)).isEqualTo(original);
    }

    @Test
    void directBuffersWorkBothWays() throws Exception {
        ByteBuffer frame = ByteBuffer.allocateDirect(100).put(aoe(B, A, 100, 3)).flip();
        ByteBuffer directRx = ByteBuffer.allocateDirect(200);
        a.send(frame);

        assertThat(b.receive(directRx, 0)).isTrue();
        assertThat(directRx.remaining()).isEqualTo(100);
        assertThat(bytes(directRx)).isEqualTo(bytes(aoe(B, A, 100, 3)));
    }

    @Test
    void receiveTruncatesToTheBufferCapacity() throws Exception {
        a.send(aoe(B, A, 1000, 1));
        ByteBuffer small = ByteBuffer.allocate(64);

        assertThat(b.receive(small, 0)).isTrue();
        assertThat(small.remaining()).isEqualTo(64);
    }

    @Test
    void portsReceiveOnlyAoeFramesWhileTheTapSeesEverything() throws Exception {
        MemoryHubPort tap = hub.tap("tap");
        a.send(TestFrames.frame(MacAddress.BROADCAST, A, 0x0800, 60, 1));
        a.send(aoe(C, A, 60, 2));

        assertThat(b.queued()).isZero();
        assertThat(c.queued()).isEqualTo(1);
        assertThat(tap.receive(rx, 0)).isTrue();
        assertThat(rx.getShort(12)).isEqualTo((short) 0x0800);
        assertThat(tap.receive(rx, 0)).isTrue();
        assertThat(MacAddress.read(rx, 0)).isEqualTo(C);
        assertThat(tap.receive(rx, 0)).isFalse();
    }

    @Test
    void fullQueueDropsAndCountsTheExcess() throws Exception {
        b.setQueueCapacity(3);
        for (int i = 0; i < 5; i++) {
            a.send(aoe(B, A, 60, i));
        }

        assertThat(b.queued()).isEqualTo(3);
        assertThat(b.drops()).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(b.receive(rx, 0)).isTrue();
            assertThat(rx.get(14)).as("frames keep their order").isEqualTo((byte) (i + 14));
        }
        assertThat(b.receive(rx, 0)).isFalse();
        assertThat(a.drops()).isZero();
    }

    @Test
    void defaultQueueHoldsTheDocumentedNumberOfFrames() throws Exception {
        for (int i = 0; i < MemoryHub.DEFAULT_QUEUE_CAPACITY + 1; i++) {
            a.send(aoe(B, A, 60, i));
        }
        assertThat(b.queued()).isEqualTo(MemoryHub.DEFAULT_QUEUE_CAPACITY);
        assertThat(b.drops()).isEqualTo(1);
    }

    @Test
    void frameLongerThanSenderMtuIsDroppedAtTheSender() throws Exception {
        a.send(aoe(B, A, 1515, 1));

        assertThat(b.queued()).isZero();
        assertThat(a.oversizeDrops()).isEqualTo(1);
        assertThat(a.sentFrames()).isZero();
    }

    @Test
    void jumboFramePassesOnceBothEndsHaveTheMtu() throws Exception {
        a.setMtu(9000);
        a.send(aoe(B, A, 9014, 1));
        assertThat(b.queued()).as("receiver still at MTU 1500 drops it").isZero();
        assertThat(b.oversizeDrops()).isEqualTo(1);

        b.setMtu(9000);
        a.send(aoe(B, A, 9014, 1));
        assertThat(b.receive(rx, 0)).isTrue();
        assertThat(rx.remaining()).isEqualTo(9014);
        assertThat(b.mtu()).isEqualTo(9000);
    }

    @Test
    void receiveWaitsForTheTimeoutAndReturnsFalse() throws Exception {
        long start = System.nanoTime();
        assertThat(b.receive(rx, 150)).isFalse();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(waited).isBetween(140L, 2000L);
    }

    @Test
    void zeroTimeoutPollsWithoutWaiting() throws Exception {
        long start = System.nanoTime();
        assertThat(b.receive(rx, 0)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
    }

    @Test
    void blockedReceiverWakesWhenAFrameArrives() throws Exception {
        CompletableFuture<Integer> got = CompletableFuture.supplyAsync(() -> {
            ByteBuffer buf = ByteBuffer.allocate(2000);
            try {
                return b.receive(buf, -1) ? buf.remaining() : -1;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        assertThat(got).isNotDone();

        a.send(aoe(B, A, 77, 1));
        assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo(77);
    }

    @Test
    void closeWakesABlockedReceiverWithAnAsynchronousCloseException() throws Exception {
        CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
            try {
                return b.receive(ByteBuffer.allocate(100), -1);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(50);
        b.close();

        assertThat(got).failsWithin(5, TimeUnit.SECONDS)
                .withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void closedPortRefusesIoAndLeavesTheSegment() throws Exception {
        b.close();

        assertThatThrownBy(() -> b.send(aoe(A, B, 60, 1))).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> b.receive(rx, 0)).isInstanceOf(ClosedChannelException.class);
        assertThat(hub.ports()).containsExactly(a, c);
    }

    @Test
    void detachedPortNeitherSendsNorReceivesUntilAttachedAgain() throws Exception {
        b.detach();
        a.send(aoe(B, A, 60, 1));
        b.send(aoe(A, B, 60, 2));
        assertThat(b.queued()).isZero();
        assertThat(a.queued()).isZero();

        b.attach();
        a.send(aoe(B, A, 60, 3));
        assertThat(b.receive(rx, 0)).isTrue();
        assertThat(rx.get(14)).isEqualTo((byte) (3 + 14));
    }

    @Test
    void portNamesAreUniqueAndMtuIsValidated() {
        assertThatThrownBy(() -> hub.port("a", C, 1500)).hasMessageContaining("'a' exists already");
        assertThatThrownBy(() -> a.setMtu(10)).hasMessageContaining("68..65535");
        assertThatThrownBy(() -> a.send(ByteBuffer.allocate(10))).hasMessageContaining("14-byte Ethernet header");
    }
}
