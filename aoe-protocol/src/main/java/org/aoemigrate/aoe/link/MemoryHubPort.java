package org.aoemigrate.aoe.link;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.aoemigrate.aoe.wire.MacAddress;

/** One port of a {@link MemoryHub}; see there for the segment's rules. Thread-safe. */
public final class MemoryHubPort implements EthernetLink {

    private final MemoryHub hub;
    private final String name;
    private final MacAddress mac;
    private final boolean promiscuous;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queueCapacity = MemoryHub.DEFAULT_QUEUE_CAPACITY;
    private long drops;
    private long oversizeDrops;
    private long sent;
    private long received;
    private boolean closed;

    private volatile int mtu;
    private volatile boolean attached = true;

    MemoryHubPort(MemoryHub hub, String name, MacAddress mac, int mtu, boolean promiscuous) {
        this.hub = hub;
        this.name = name;
        this.mac = mac;
        this.promiscuous = promiscuous;
        setMtu(mtu);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Changes the MTU, as {@code ip link set NAME mtu N} would; the next send or arrival obeys it. */
    public void setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " of hub port '" + name + "' is outside 68..65535");
        }
        this.mtu = mtu;
    }

    /** Changes how many frames the receive queue holds; frames already queued stay. */
    public void setQueueCapacity(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("queue capacity of hub port '" + name + "' must be at least 1, not " + frames);
        }
        lock.lock();
        try {
            queueCapacity = frames;
        } finally {
            lock.unlock();
        }
    }

    /** Link down: the port stops sending and receiving until {@link #attach()}; queued frames stay. */
    public void detach() {
        attached = false;
    }

    /** Link up again after {@link #detach()}. */
    public void attach() {
        attached = true;
    }

    public boolean isAttached() {
        return attached;
    }

    boolean isPromiscuous() {
        return promiscuous;
    }

    /**
     * Copies the frame onto the segment. A frame longer than MTU + 14 is dropped (counted in
     * {@link #oversizeDrops()}); so is every frame while the port is detached.
     */
    @Override
    public void send(ByteBuffer frame) throws IOException {
        int length = frame.remaining();
        if (length < EthernetFrames.HEADER_LENGTH) {
            throw new IllegalArgumentException("a frame of " + length + " bytes sent on hub port '" + name
                    + "' has no room for the 14-byte Ethernet header");
        }
        byte[] copy = new byte[length];
        frame.get(copy);
        lock.lock();
        try {
            ensureOpen();
            if (length > mtu + EthernetFrames.HEADER_LENGTH) {
                oversizeDrops++;
                return;
            }
            sent++;
        } finally {
            lock.unlock();
        }
        if (attached) {
            hub.deliver(this, copy);
        }
    }

    /** Called by the hub with a frame this port is addressed by; the array is not shared. */
    void enqueue(byte[] frame) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (frame.length > mtu + EthernetFrames.HEADER_LENGTH) {
                oversizeDrops++;
            } else if (queue.size() >= queueCapacity) {
                drops++;
            } else {
                queue.addLast(frame);
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
        byte[] frame;
        lock.lock();
        try {
            ensureOpen();
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while ((frame = queue.pollFirst()) == null) {
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                if (timeoutMillis == 0 || (timeoutMillis > 0 && nanos <= 0)) {
                    return false;
                }
                try {
                    if (timeoutMillis < 0) {
                        arrived.await();
                    } else {
                        nanos = arrived.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while receiving on hub port '" + name + "'");
                }
            }
            received++;
        } finally {
            lock.unlock();
        }
        into.clear();
        into.put(frame, 0, Math.min(frame.length, into.remaining()));
        into.flip();
        return true;
    }

    /** Frames dropped because this port's receive queue was full. */
    @Override
    public long drops() {
        lock.lock();
        try {
            return drops;
        } finally {
            lock.unlock();
        }
    }

    /** Frames dropped for exceeding MTU + 14: sent by this port, or arriving at it. */
    public long oversizeDrops() {
        lock.lock();
        try {
            return oversizeDrops;
        } finally {
            lock.unlock();
        }
    }

    /** Frames this port put on the segment (oversized and closed-port sends excluded). */
    public long sentFrames() {
        lock.lock();
        try {
            return sent;
        } finally {
            lock.unlock();
        }
    }

    /** Frames handed out by {@link #receive}. */
    public long receivedFrames() {
        lock.lock();
        try {
            return received;
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting in the receive queue. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Unplugs the port and wakes every thread blocked in {@link #receive}; they throw. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        hub.unplug(this);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "hub port " + name + " (" + mac + ", MTU " + mtu + (attached ? "" : ", detached") + ")";
    }
}
