package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One local interface as the initiator uses it: sends frames for every device and runs the
 * thread that receives this interface's replies and hands each to the owner of its tag.
 */
final class LinkPort implements AutoCloseable {

    /** Receive waits this long at most, so the thread notices {@link #close()} promptly. */
    private static final long RECEIVE_POLL_MILLIS = 100;
    /** Large enough for any frame an interface can carry (MTU up to 65535 plus the header). */
    private static final int RECEIVE_BUFFER = 65536 + 14;
    /** Answers taken per receive: 16 buffers of {@link #RECEIVE_BUFFER} bytes, 1 MiB per interface. */
    private static final int RECEIVE_BATCH = 16;

    private final EthernetLink link;
    private final long macBits;
    private final TagTable tags;
    private final Thread receiver;
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    private volatile boolean closed;

    LinkPort(EthernetLink link, TagTable tags) {
        this.link = link;
        this.macBits = link.mac().bits();
        this.tags = tags;
        this.receiver = new Thread(this::receiveLoop, "aoe-initiator-rx-" + link.name());
        receiver.setDaemon(true);
    }

    void start() {
        receiver.start();
    }

    String name() {
        return link.name();
    }

    MacAddress mac() {
        return link.mac();
    }

    int mtu() throws IOException {
        return link.mtu();
    }

    /** Sends the frame between position and limit. Serialised so frames never interleave. */
    synchronized void send(ByteBuffer frame) throws IOException {
        link.send(frame);
    }

    /** Replies that matched no request in flight: late answers to abandoned requests, strays. */
    long unmatchedReplies() {
        return unmatched.sum();
    }

    /** Takes what is queued, up to {@link #RECEIVE_BATCH} answers, in one receive (recvmmsg on a packet socket). */
    private void receiveLoop() {
        ByteBuffer[] frames = new ByteBuffer[RECEIVE_BATCH];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        }
        while (!closed) {
            try {
                int n = link.receiveMany(frames, frames.length, RECEIVE_POLL_MILLIS);
                for (int i = 0; i < n; i++) {
                    dispatch(frames[i]);
                }
            } catch (ClosedChannelException e) {
                return; // the link was closed under us: nothing more will arrive
            } catch (IOException e) {
                // e.g. the interface vanished for a moment: its devices time out on it and move
                // to other paths; keep trying, as the interface may come back
                receiveErrors.increment();
                LockSupport.parkNanos(RECEIVE_POLL_MILLIS * 1_000_000);
            }
        }
    }

    private void dispatch(ByteBuffer frame) {
        int base = frame.position();
        if (frame.remaining() < HEADER_LENGTH
                || Short.toUnsignedInt(frame.getShort(base + ETHERTYPE)) != ETHERTYPE_AOE
                || (frame.get(base + VERSION_FLAGS) & FLAG_RESPONSE) == 0) {
            return; // requests (ours or other initiators') and non-AoE frames are not for us
        }
        if (macAt(frame, base + DESTINATION) != macBits) {
            unmatched.increment(); // another host's answer, seen because the interface is promiscuous
            return;
        }
        int tag = frame.getInt(base + TAG);
        Exchange ex = tags.lookup(tag);
        ReplySink sink = ex == null ? null : ex.sink;
        if (sink == null) {
            unmatched.increment();
            return;
        }
        try {
            sink.onReply(ex, tag, frame, this);
        } catch (RuntimeException e) {
            // a bug must not kill the thread that every device on this link depends on
            handlerFailures.increment();
        }
    }

    /** The MAC at an absolute index of a frame, as {@link MacAddress#bits()}, without allocating. */
    static long macAt(ByteBuffer frame, int index) {
        long v = 0;
        for (int i = 0; i < MAC_LENGTH; i++) {
            v = (v << 8) | (frame.get(index + i) & 0xFF);
        }
        return v;
    }

    /** Receives that failed (and were retried): a sign the interface is in trouble. */
    long receiveErrors() {
        return receiveErrors.sum();
    }

    long handlerFailures() {
        return handlerFailures.sum();
    }

    /** Tells the receive thread to end after its current wait, without waiting for it ({@link #close} waits). */
    void stop() {
        closed = true;
    }

    @Override
    public void close() {
        stop();
        try {
            receiver.join(2 * RECEIVE_POLL_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the underlying link too (for links the initiator opened itself). */
    void closeLink() throws IOException {
        link.close();
    }

    @Override
    public String toString() {
        return link.name();
    }
}
