package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.TargetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadlineTest {

    static final Duration DEADLINE = Duration.ofMillis(800);
    static final Duration MARGIN = Duration.ofMillis(700);

    @TempDir
    Path dir;
    HubLab lab;
    TargetServer target;
    AoeDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        target = lab.serve(lab.export(new ExportAddress(5, 0), 256, 1, "a").build());
        disk = lab.initiator(HubLab.FAST.withDeadline(DEADLINE), lab.initiatorPort("i0", "a", 1500))
                .open(new AoeAddress(5, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void aVanishedTargetGivesAClearErrorWithinTheDeadline() {
        target.stop();
        long start = System.nanoTime();

        assertThatThrownBy(() -> disk.read(40, ByteBuffer.allocate(64 * 512)))
                .isInstanceOfSatisfying(AoeTimeoutException.class, e -> {
                    assertThat(e.lba()).isBetween(40L, 40L + 63);
                    assertThat(e.pathsTried()).containsExactly("i0->" + lab.targetPort("t0").mac());
                    assertThat(e.waited()).isGreaterThanOrEqualTo(DEADLINE);
                })
                .hasMessageContaining("e5.0")
                .hasMessageContaining("READ of 2 sectors at LBA 4")
                .hasMessageContaining("i0->");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isLessThan(DEADLINE.plus(MARGIN));
        assertThat(disk.stats().timeouts()).isPositive();
    }

    @Test
    void writesQueuedBehindAFullWindowFailTooInsteadOfHanging() {
        target.stop();
        long start = System.nanoTime();

        // far more frames than any window: most never leave the queue
        assertThatThrownBy(() -> disk.write(0, ByteBuffer.allocate(256 * 512))).isInstanceOf(AoeTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.plus(MARGIN));
    }

    @Test
    void theDeviceWorksAgainWhenTheTargetReturnsBeforeTheDeadline() throws Exception {
        lab.targetPort("t0").detach();
        var read = disk.readAsync(0, ByteBuffer.allocate(8 * 512));
        Thread.sleep(DEADLINE.toMillis() / 3);
        lab.targetPort("t0").attach();

        read.get();
        assertThat(disk.stats().retransmissions()).isPositive();
    }

    @Test
    void closingTheDeviceFailsWhatIsInFlightAtOnce() throws Exception {
        target.stop();
        var read = disk.readAsync(0, ByteBuffer.allocate(64 * 512));

        disk.close();

        assertThat(read).failsWithin(Duration.ofMillis(200))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(AoeException.class).withMessageContaining("e5.0 was closed");
        assertThatThrownBy(() -> disk.read(0, ByteBuffer.allocate(512))).hasMessageContaining("is closed");
    }

    @Test
    void aTimeoutSaysWhenTheInterfaceRefusedTheFrames() throws Exception {
        AoeDevice refused = lab.initiator(HubLab.FAST.withDeadline(DEADLINE),
                new RefusingLink(lab.initiatorPort("i1", "a", 1500))).open(new AoeAddress(5, 0));

        assertThatThrownBy(() -> refused.write(0, ByteBuffer.allocate(1024)))
                .isInstanceOf(AoeTimeoutException.class)
                .hasMessageContaining("the interface refused")
                .hasMessageContaining("frame too long for this test");
    }

    /** Passes discovery and IDENTIFY, then refuses every frame that carries data, as an interface whose MTU shrank. */
    private static final class RefusingLink extends ForwardingLink {
        RefusingLink(EthernetLink link) {
            super(link);
        }

        @Override
        public void send(ByteBuffer frame) throws IOException {
            if (frame.remaining() > 100) {
                throw new IOException("frame too long for this test");
            }
            super.send(frame);
        }
    }
}
