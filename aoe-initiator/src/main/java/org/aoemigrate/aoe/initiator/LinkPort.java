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
 *
 * <p>A device answers a reply by sending its next requests at once, on this receive thread.
 * Those sends ({@link #sendFor}) are gathered while the thread handles one received batch and go
 * out together when the batch is done ({@link EthernetLink#sendMany}: one sendmmsg), so a busy
 * initiator makes one system call per batch instead of one per frame, and the target is woken
 * once per batch. Sends from any other thread go out at once.
 */
final class LinkPort implements AutoCloseable {

    /** Receive waits this long at most, so the thread notices {@link #close()} promptly. */
    private static final long RECEIVE_POLL_MILLIS = 100;
    /** Large enough for any frame an interface can carry (MTU up to 65535 plus the header). */
    private static final int RECEIVE_BUFFER = 65536 + 14;
    /** Answers taken per receive: 16 buffers of {@link #RECEIVE_BUFFER} bytes, 1 MiB per interface. */
    private static final int RECEIVE_BATCH = 16;
    /** Requests the receive thread gathers before it must send: what one sendmmsg takes. */
    private static final int SEND_BATCH = 64;
    /** Gathered requests are copied into buffers of at least this size (an MTU 1500 frame). */
    private static final int MIN_GATHER_BUFFER = 1514;

    private final EthernetLink link;
    private final long macBits;
    private final TagTable tags;
    private final Thread receiver;
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    private volatile boolean closed;

    // Used by the receive thread only: the requests gathered while it handles a batch.
    private final ByteBuffer[] gathered = new ByteBuffer[SEND_BATCH];
    private final DeviceEngine[] gatheredFor = new DeviceEngine[SEND_BATCH];
    private final DevicePath[] gatheredPath = new DevicePath[SEND_BATCH];
    private int gatheredCount;

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

    /**
     * Sends a device's request on {@code path}: at once, or, on this link's receive thread, at
     * the end of the batch it is handling (the frame is copied, so the caller may reuse its
     * buffer). A failed send is reported to {@code engine}, by an exception now or through
     * {@link DeviceEngine#sendFailed} later, without holding this link's lock.
     */
    void sendFor(ByteBuffer frame, DeviceEngine engine, DevicePath path) throws IOException {
        if (Thread.currentThread() != receiver) {
            send(frame);
            return;
        }
        if (gatheredCount == SEND_BATCH) {
            flushGathered();
        }
        int i = gatheredCount++;
        ByteBuffer copy = gathered[i];
        if (copy == null || copy.capacity() < frame.remaining()) {
            copy = ByteBuffer.allocateDirect(Math.max(MIN_GATHER_BUFFER, frame.remaining()));
            gathered[i] = copy;
        }
        copy.clear().put(frame).flip();
        gatheredFor[i] = engine;
        gatheredPath[i] = path;
    }

    /**
     * Sends what the receive thread gathered, in one go; a frame that cannot go (the interface
     * refused it) is reported to its device and the rest still go, each as it would alone.
     */
    private void flushGathered() {
        int n = gatheredCount;
        if (n == 0) {
            return;
        }
        gatheredCount = 0;
        IOException batchFailure = null;
        synchronized (this) {
            try {
                link.sendMany(gathered, n);
            } catch (IOException e) {
                batchFailure = e;
            }
        }
        for (int i = 0; i < n; i++) {
            if (batchFailure != null && gathered[i].hasRemaining()) {
                try {
                    send(gathered[i]);
                } catch (IOException e) {
                    gatheredFor[i].sendFailed(gatheredPath[i], e);
                }
            }
            gatheredFor[i] = null;
            gatheredPath[i] = null;
        }
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
                try {
                    for (int i = 0; i < n; i++) {
                        dispatch(frames[i]);
                    }
                } finally {
                    flushGathered();
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
