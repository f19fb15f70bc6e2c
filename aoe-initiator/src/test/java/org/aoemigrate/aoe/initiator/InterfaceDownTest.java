package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's suspect, as the lab's guest sees it: one of two paths loses its interface for a while
 * (a pulled cable: the kernel refuses sends and receives with ENETDOWN) while a guest writes one
 * sector a second, then gets it back. The writes must go on over the other path without a stall,
 * and the path must come back into use.
 */
class InterfaceDownTest {

    /** How long a tick may take while a path is going down: a few resends, far below the lab's 60 s. */
    private static final Duration TICK_BOUND = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    HubLab lab;
    MemoryHubPort ia;
    DownableLink a;
    AoeDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        lab.serve(lab.export(new ExportAddress(7, 0), 2048, 7, "a", "b").build());
        ia = lab.initiatorPort("ia", "a", 1500);
        a = new DownableLink(ia);
        disk = lab.initiator(HubLab.FAST, a, lab.initiatorPort("ib", "b", 1500)).open(new AoeAddress(7, 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void ticksGoOnWhileOnePathsInterfaceIsDownAndThePathIsUsedAgainWhenItComesBack() throws Exception {
        int tick = 0;
        for (; tick < 20; tick++) {
            writeTick(tick); // both paths in use
        }
        a.goDown();
        long downUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); // past pathDownAfter (1 s in FAST)
        while (System.nanoTime() < downUntil) {
            writeTick(tick++);
            Thread.sleep(20);
        }
        assertThat(path("ia").up()).as("the path whose interface is down").isFalse();
        assertThat(path("ia").sendErrors()).as("sends the interface refused").isPositive();

        a.comeBack();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!path("ia").up() && System.nanoTime() < deadline) {
            writeTick(tick++); // the probe goes out every 100 ms
            Thread.sleep(20);
        }
        assertThat(path("ia").up()).as("probed and back").isTrue();
        long before = path("ia").answered();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (path("ia").answered() < before + 20 && System.nanoTime() < until) {
            writeTick(tick++);
        }
        assertThat(path("ia").answered()).as("frames the path carried after it came back").isGreaterThanOrEqualTo(before + 20);
        assertThat(disk.stats().timeouts()).as("no request failed").isZero();

        ByteBuffer last = ByteBuffer.allocate(512);
        disk.read(0, last);
        assertThat(new String(last.array(), 0, 16, StandardCharsets.US_ASCII)).startsWith("tick " + (tick - 1) + "\n");
    }

    /** What the lab's guest does each second: "tick N" to sector 0, waiting for the target's answer. */
    private void writeTick(int n) throws Exception {
        ByteBuffer sector = ByteBuffer.allocate(512);
        sector.put(("tick " + n + "\n").getBytes(StandardCharsets.US_ASCII)).clear();
        long start = System.nanoTime();
        disk.writeAsync(0, sector).get(TICK_BOUND.toMillis() * 5, TimeUnit.MILLISECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("tick %d's write", n).isLessThan(TICK_BOUND);
    }

    private PathStats path(String link) {
        return disk.stats().paths().stream().filter(p -> p.link().equals(link)).findFirst().orElseThrow();
    }

    /**
     * An interface that goes down and up as a veth whose peer is pulled does for a packet socket:
     * while down, frames neither leave nor arrive, and every send and receive fails with ENETDOWN.
     */
    private static final class DownableLink extends ForwardingLink {

        private final MemoryHubPort port;
        private volatile boolean down;

        DownableLink(MemoryHubPort port) {
            super(port);
            this.port = port;
        }

        void goDown() {
            port.detach();
            down = true;
        }

        void comeBack() {
            down = false;
            port.attach();
        }

        @Override
        public void send(ByteBuffer frame) throws IOException {
            if (down) {
                throw new IOException("send on " + name() + " failed: Network is down (ENETDOWN)");
            }
            super.send(frame);
        }

        @Override
        public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
            if (down) {
                throw new IOException("recv on " + name() + " failed: Network is down (ENETDOWN)");
            }
            return super.receive(into, timeoutMillis);
        }
    }
}
