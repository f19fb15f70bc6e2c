package org.aoemigrate.aoe.initiator.check;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aoemigrate.aoe.initiator.ForwardingLink;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A target's port that can tell when an ATA request (IDENTIFY, in a check without a node) reaches
 * it and how many Query Config requests did, and can hold its Query Config answers (unicast; its broadcast announcement is not held) until
 * something has happened: a target answering at a chosen moment of the initiator's discovery.
 */
final class WatchedTargetLink extends ForwardingLink {

    private final CountDownLatch ataReceived;
    private final CountDownLatch releaseConfigAnswers;
    private final AtomicInteger configQueries = new AtomicInteger();

    /**
     * @param ataReceived          counted down when an ATA request arrives (null: not watched)
     * @param releaseConfigAnswers Query Config answers wait for it, up to 5 s (null: not held)
     */
    WatchedTargetLink(EthernetLink link, CountDownLatch ataReceived, CountDownLatch releaseConfigAnswers) {
        super(link);
        this.ataReceived = ataReceived;
        this.releaseConfigAnswers = releaseConfigAnswers;
    }

    private static int command(ByteBuffer frame) {
        return frame.get(frame.position() + AoeConstants.COMMAND) & 0xFF;
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
        // the target's own broadcast announcement at its start is not an answer: it goes out at once
        boolean answer = !MacAddress.read(frame, frame.position() + AoeConstants.DESTINATION).isMulticast();
        if (releaseConfigAnswers != null && answer && command(frame) == AoeCommand.QUERY_CONFIG.code()) {
            try {
                releaseConfigAnswers.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while holding an answer on " + name());
            }
        }
        super.send(frame);
    }

    @Override
    public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
        boolean got = super.receive(into, timeoutMillis);
        if (got && into.remaining() > AoeConstants.COMMAND) {
            if (ataReceived != null && command(into) == AoeCommand.ATA.code()) {
                ataReceived.countDown();
            }
            if (command(into) == AoeCommand.QUERY_CONFIG.code()) {
                configQueries.incrementAndGet();
            }
        }
        return got;
    }

    /** The Query Config requests that reached the target so far (a discovery sends one to three per interface). */
    int configQueries() {
        return configQueries.get();
    }
}
