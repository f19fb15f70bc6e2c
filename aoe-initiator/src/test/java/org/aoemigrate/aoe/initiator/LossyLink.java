package org.aoemigrate.aoe.initiator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.aoemigrate.aoe.link.EthernetLink;

/**
 * A link that loses a share of the frames it sends and receives, at random but reproducibly
 * (seeded): a bad cable or a congested switch, for retransmission tests.
 */
final class LossyLink extends ForwardingLink {

    private volatile double lossRate;
    private final Random random;
    private final AtomicLong lost = new AtomicLong();

    LossyLink(EthernetLink link, double lossRate, long seed) {
        super(link);
        this.lossRate = lossRate;
        this.random = new Random(seed);
    }

    /** Changes the share of frames lost from now on. */
    void setLossRate(double rate) {
        this.lossRate = rate;
    }

    /** Frames this wrapper dropped, both directions. */
    long lost() {
        return lost.get();
    }

    private boolean loseOne() {
        synchronized (random) {
            if (random.nextDouble() < lossRate) {
                lost.incrementAndGet();
                return true;
            }
            return false;
        }
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        if (loseOne()) {
            frame.position(frame.limit());
            return;
        }
        super.send(frame);
    }

    @Override
    public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (super.receive(into, timeoutMillis < 0 ? -1 : Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
            if (!loseOne()) {
                return true;
            }
        }
        return false;
    }
}
