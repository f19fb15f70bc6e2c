package org.aoemigrate.aoe.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.List;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What closing an initiator costs: the destination check closes one per check, and the
 * migration waits for it. Each receive thread waits up to 100 ms for a frame at a time.
 */
class InitiatorCloseTest {

    @TempDir
    Path dir;
    HubLab lab;

    @BeforeEach
    void setUp() throws Exception {
        lab = new HubLab(dir);
        lab.serve(lab.export(new ExportAddress(1, 0), 64, 1, "a", "b").build());
    }

    @AfterEach
    void tearDown() throws Exception {
        lab.close();
    }

    @Test
    void closingLinksItOwnsWakesTheReceiveThreadsInsteadOfWaitingOutTheirWait() throws Exception {
        long fastest = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            MemoryHubPort a = lab.initiatorPort("close-a" + round, "a", 1500);
            MemoryHubPort b = lab.initiatorPort("close-b" + round, "b", 1500);
            AoeInitiator aoe = new AoeInitiator(List.of(a, b), HubLab.FAST, true);
            try (AoeDevice disk = aoe.open(new AoeAddress(1, 0))) {
                disk.read(0, ByteBuffer.allocate(4096));
            }
            // the answers just arrived: both receive threads have begun a new 100 ms wait
            long start = System.nanoTime();
            aoe.close();
            fastest = Math.min(fastest, System.nanoTime() - start);

            assertThat(receiveThreadsAlive("close-a" + round, "close-b" + round)).as("receive threads after close").isEmpty();
            assertThatThrownBy(() -> a.send(ByteBuffer.allocate(60))).isInstanceOf(ClosedChannelException.class);
        }
        assertThat(fastest / 1_000_000).as("ms the fastest of three closes took (a receive wait is 100 ms)").isLessThan(50);
    }

    @Test
    void linksTheCallerOpenedStayOpenAndTheThreadsStillEnd() throws Exception {
        MemoryHubPort a = lab.initiatorPort("keep-a", "a", 1500);
        AoeInitiator aoe = AoeInitiator.over(List.of(a), HubLab.FAST);
        assertThat(aoe.discover(new AoeAddress(1, 0))).isPresent();

        aoe.close();

        assertThat(receiveThreadsAlive("keep-a")).isEmpty();
        a.send(ByteBuffer.allocate(60)); // still open: the caller closes it
    }

    private static List<String> receiveThreadsAlive(String... linkNames) {
        List<String> names = List.of(linkNames).stream().map(n -> "aoe-initiator-rx-" + n).toList();
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(names::contains).toList();
    }
}
