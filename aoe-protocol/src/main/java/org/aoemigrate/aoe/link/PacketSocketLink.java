package org.aoemigrate.aoe.link;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * An {@link EthernetLink} on a real interface: an AF_PACKET raw socket bound to the interface and
 * to EtherType 0x88A2, optionally with an {@link AoeFilter} running in the kernel.
 *
 * <p>{@link #send} and {@link #receive} move one frame per system call: a direct buffer goes to
 * the kernel as it is, a heap buffer is copied through a direct buffer the link keeps, so the
 * send and receive paths allocate nothing. {@link #receiveMany} and {@link #sendMany} move up to
 * {@link MessageVector#CAPACITY} direct buffers per call (recvmmsg, sendmmsg), which is what
 * lets a busy target or initiator spend its time on frames rather than on system calls. With
 * {@link PacketSocketOptions#receiveRing()} frames arrive in a {@link ReceiveRing} instead, and
 * {@link #receive}/{@link #receiveMany} copy them out of it without a system call while any
 * are queued (heap buffers too).
 *
 * <p>A link survives its interface going down and up again. When an interface goes down the
 * kernel unhooks the socket, hooks it again once the interface is up, and reports the event
 * once, as an ENETDOWN error on the next call: {@link #receive} counts it in
 * {@link #linkDownEvents()} and goes on waiting, {@link #send} tries again once (see there). An
 * interface that is deleted ends the link: calls fail with ENODEV.
 *
 * <p>Thread-safe. Senders take turns, and so do receivers (waiting for the turn counts against a
 * receive timeout); a sender and a receiver run in parallel. {@link #close()} wakes every thread
 * blocked in this link (they throw {@link AsynchronousCloseException}) and closes the socket
 * only once they have left, so a file descriptor is never used after it could have been reused.
 */
public final class PacketSocketLink implements EthernetLink {

    /** Bytes of the largest frame: MTU 65535 + header, rounded up. */
    private static final int MAX_FRAME = 65552;

    // Approximate sizes (x86_64, Linux 6.x) behind kernelBytesPerFrame.
    private static final int NET_SKB_PAD = 64;
    private static final int SKB_SHARED_INFO = 320;
    private static final int SK_BUFF = 256;

    private final String name;
    private final MacAddress mac;
    private final int fd;
    /** Readable once the link closes; polled beside the socket so close wakes blocked threads. */
    private final int closeSignal;
    private final InterfaceQuery nic;
    private final int receiveBufferBytes;
    private final int sendBufferBytes;
    private final int bytesPerFrameAtOpen;
    private final boolean ignoresOutgoing;
    /** Null when frames arrive through the socket's queue. */
    private final ReceiveRing ring;

    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Statistics and MTU queries. */
    private final ReentrantLock controlLock = new ReentrantLock();

    // Native memory, allocated once; each piece is used under one lock only.
    private final Pointer receivePollFds = pollFds();
    private final Pointer sendPollFds = pollFds();
    private final Pointer stats = Memory.allocateDirect(Native.runtime(), Structs.TpacketStats.LAYOUT.size());
    private final Pointer statsLength = Memory.allocateDirect(Native.runtime(), 4);
    private final Pointer closeSignalValue = Memory.allocateDirect(Native.runtime(), 8);
    private final MessageVector receiveVector = new MessageVector();
    private final MessageVector sendVector = new MessageVector();
    private ByteBuffer receiveScratch;
    private ByteBuffer sendScratch;
    /** The one-buffer array {@link #receive} passes to the ring. */
    private final ByteBuffer[] ringSingle = new ByteBuffer[1];
    /** Where a ring socket's pending error (ENETDOWN, ENODEV) is collected by a recv of nothing. */
    private final ByteBuffer ringErrorProbe = ByteBuffer.allocateDirect(EthernetFrames.HEADER_LENGTH);

    private long kernelPackets;
    private long kernelDrops;
    /** Written under the send lock, read without it so a blocked sender does not block readers. */
    private volatile long sendDrops;
    /** Written under the receive lock, read without it. */
    private volatile long linkDownEvents;

    private PacketSocketLink(String name, MacAddress mac, int fd, int closeSignal, InterfaceQuery nic,
            int receiveBufferBytes, int sendBufferBytes, int bytesPerFrameAtOpen, boolean ignoresOutgoing,
            ReceiveRing ring) {
        this.bytesPerFrameAtOpen = bytesPerFrameAtOpen;
        this.ring = ring;
        this.name = name;
        this.nic = nic;
        this.mac = mac;
        this.fd = fd;
        this.closeSignal = closeSignal;
        this.receiveBufferBytes = receiveBufferBytes;
        this.sendBufferBytes = sendBufferBytes;
        this.ignoresOutgoing = ignoresOutgoing;
        for (Pointer p : List.of(receivePollFds, sendPollFds)) {
            Structs.PollFd.LAYOUT.fd.set(p, fd);
            Structs.PollFd.LAYOUT.fd.set(p.slice(Structs.PollFd.LAYOUT.size()), closeSignal);
        }
    }

    /** Opens a link on the named interface with default buffers and no filter. */
    public static PacketSocketLink open(String interfaceName) throws IOException {
        return open(PacketSocketOptions.forInterface(interfaceName));
    }

    /**
     * Opens the socket, sizes its buffers, attaches the filter and binds it to the interface.
     *
     * @throws IOException if the interface is not Ethernet, or a system call fails
     *     ({@link LinkSyscallException}: ENODEV when there is no such interface, EPERM without
     *     root or CAP_NET_RAW)
     */
    public static PacketSocketLink open(PacketSocketOptions options) throws IOException {
        String name = options.interfaceName();
        // Protocol 0: the socket receives nothing until bind, so no unfiltered frame from any
        // interface can slip into the queue before the filter is in place.
        int fd = Native.socket(Native.AF_PACKET, Native.SOCK_RAW, 0, name);
        int closeSignal = -1;
        ReceiveRing ring = null;
        try {
            InterfaceQuery nic = new InterfaceQuery(fd, name);
            int ifindex = nic.index();
            MacAddress mac = nic.mac();
            int frameCost = kernelBytesPerFrame(nic.mtu());
            Pointer cell = Memory.allocateDirect(Native.runtime(), 4);
            Pointer cellLength = Memory.allocateDirect(Native.runtime(), 4);
            int receiveBytes = sizeBuffer(fd, Native.SO_RCVBUFFORCE, "SO_RCVBUFFORCE", Native.SO_RCVBUF, "SO_RCVBUF",
                    options.receiveFrames(), frameCost, cell, cellLength, name);
            int sendBytes = sizeBuffer(fd, Native.SO_SNDBUFFORCE, "SO_SNDBUFFORCE", Native.SO_SNDBUF, "SO_SNDBUF",
                    options.sendFrames(), frameCost, cell, cellLength, name);
            boolean ignoresOutgoing = ignoreOutgoing(fd, cell, name);
            if (options.filter() != null) {
                attach(fd, options.filter().program(), name);
            }
            if (options.receiveRing()) {
                ring = ReceiveRing.attach(fd, options.receiveFrames(), nic.mtu(), name);
            }
            bind(fd, ifindex, name);
            closeSignal = Native.eventfd(name);
            return new PacketSocketLink(name, mac, fd, closeSignal, nic, receiveBytes, sendBytes, frameCost,
                    ignoresOutgoing, ring);
        } catch (IOException | RuntimeException e) {
            Native.close(closeSignal);
            Native.close(fd);
            if (ring != null) {
                ring.unmap();
            }
            throw e;
        }
    }

    /**
     * What one queued frame costs against a socket buffer: the kernel charges an skb's truesize,
     * the data rounded up to a power-of-two allocation plus the sk_buff and skb_shared_info
     * bookkeeping (about 2.3 KiB for MTU 1500, 16.6 KiB for MTU 9000), not the frame length.
     * The true size depends on the driver; the estimate errs large so the buffer holds at least
     * the frames asked for (on veth: exactly 16 of 16 at MTU 1500, 21 of 16 at MTU 9000, where
     * paged frames cost about 12.7 KiB).
     */
    static int kernelBytesPerFrame(int mtu) {
        int data = mtu + EthernetFrames.HEADER_LENGTH + NET_SKB_PAD + SKB_SHARED_INFO;
        return Integer.highestOneBit(data - 1) * 2 + SK_BUFF;
    }

    /**
     * Asks for room for {@code frames} frames and returns what the kernel granted. The kernel
     * doubles the value asked for (its own allowance for overhead), so ask for half. The FORCE
     * option goes past net.core.rmem_max/wmem_max, so the size is honest, but needs
     * CAP_NET_ADMIN; without it the plain option is capped at that maximum.
     */
    private static int sizeBuffer(int fd, int forceOption, String forceName, int option, String optionName,
            int frames, int frameCost, Pointer cell, Pointer cellLength, String name) throws IOException {
        long wanted = Math.min((long) frames * frameCost / 2, Integer.MAX_VALUE / 2);
        cell.putInt(0, (int) wanted);
        if (Native.libc().setsockopt(fd, Native.SOL_SOCKET, forceOption, cell, 4) < 0) {
            if (Native.errno() != Native.EPERM) {
                throw Native.failure("setsockopt(" + forceName + ")", name);
            }
            Native.setsockopt(fd, Native.SOL_SOCKET, option, optionName, cell, 4, name);
        }
        Native.getsockopt(fd, Native.SOL_SOCKET, option, optionName, cell, 4, cellLength, name);
        return cell.getInt(0);
    }

    /**
     * Asks the kernel not to hand us frames we sent. A socket bound to one EtherType never sees
     * outgoing frames anyway (the kernel copies those only to ETH_P_ALL sockets), so on a kernel
     * older than 4.20, which lacks the option (ENOPROTOOPT), nothing needs doing instead.
     */
    private static boolean ignoreOutgoing(int fd, Pointer cell, String name) throws IOException {
        cell.putInt(0, 1);
        if (Native.libc().setsockopt(fd, Native.SOL_PACKET, Native.PACKET_IGNORE_OUTGOING, cell, 4) == 0) {
            return true;
        }
        if (Native.errno() == Native.ENOPROTOOPT) {
            return false;
        }
        throw Native.failure("setsockopt(PACKET_IGNORE_OUTGOING)", name);
    }

    private static void attach(int fd, List<BpfInstruction> program, String name) throws IOException {
        Pointer code = Memory.allocateDirect(Native.runtime(), program.size() * BpfInstruction.SIZE);
        ByteBuffer image = ByteBuffer.allocate(program.size() * BpfInstruction.SIZE).order(ByteOrder.nativeOrder());
        for (int i = 0; i < program.size(); i++) {
            program.get(i).writeTo(image, i * BpfInstruction.SIZE);
        }
        code.put(0, image.array(), 0, image.capacity());
        Structs.SockFprog layout = Structs.SockFprog.LAYOUT;
        Pointer fprog = Memory.allocateDirect(Native.runtime(), layout.size());
        layout.length.set(fprog, program.size());
        layout.filter.set(fprog, code);
        Native.setsockopt(fd, Native.SOL_SOCKET, Native.SO_ATTACH_FILTER, "SO_ATTACH_FILTER", fprog, layout.size(), name);
        // fprog holds only the program's address: keep its memory from being freed before the
        // kernel has copied it.
        Reference.reachabilityFence(code);
    }

    private static void bind(int fd, int ifindex, String name) throws IOException {
        Structs.SockAddrLl layout = Structs.SockAddrLl.LAYOUT;
        Pointer address = Memory.allocateDirect(Native.runtime(), layout.size());
        layout.family.set(address, Native.AF_PACKET);
        layout.protocol.set(address, htons(AoeConstants.ETHERTYPE_AOE));
        layout.ifindex.set(address, ifindex);
        Native.bind(fd, address, layout.size(), name);
    }

    private static int htons(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes((short) value) & 0xFFFF;
    }

    private static Pointer pollFds() {
        return Memory.allocateDirect(Native.runtime(), 2 * Structs.PollFd.LAYOUT.size());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MacAddress mac() {
        return mac;
    }

    /** Asks the kernel each time (one ioctl), so {@code ip link set NAME mtu N} is seen at once. */
    @Override
    public int mtu() throws IOException {
        controlLock.lock();
        try {
            ensureOpen();
            return nic.mtu();
        } finally {
            controlLock.unlock();
        }
    }

    /**
     * Sends one frame; blocks while the send buffer is full. A frame the device queue drops
     * (ENOBUFS) counts in {@link #sendDrops()} and is otherwise treated as sent: Ethernet loses
     * frames and AoE retransmits; so are frames sent while the far end is down (a veth whose peer
     * is down, a pulled cable): the kernel drops them silently. A frame longer than MTU + 14
     * fails with EMSGSIZE. An ENETDOWN is tried once more, because it may only report that the
     * interface went down and up since the last call; if it is down now, the second try fails
     * with ENETDOWN too.
     */
    @Override
    public void send(ByteBuffer frame) throws IOException {
        int length = frame.remaining();
        sendLock.lock();
        try {
            ensureOpen();
            ByteBuffer source = frame;
            if (!frame.isDirect()) {
                if (length > MAX_FRAME) {
                    throw new IOException("a frame of " + length + " bytes cannot go out on " + name + "; no MTU allows it");
                }
                if (sendScratch == null) {
                    sendScratch = ByteBuffer.allocateDirect(MAX_FRAME);
                }
                source = sendScratch.clear().put(0, frame, frame.position(), length);
            }
            boolean retriedDown = false;
            while (true) {
                long n = Native.send(fd, source, length, name);
                if (n >= 0) {
                    break;
                }
                if (n == -Native.ENOBUFS) {
                    sendDrops++;
                    break;
                }
                if (n == -Native.ENETDOWN) {
                    if (retriedDown) {
                        throw Native.failure("send", name, Native.ENETDOWN);
                    }
                    retriedDown = true;
                    continue;
                }
                await(sendPollFds, Native.POLLOUT, -1);
            }
            frame.position(frame.limit());
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    public boolean receive(ByteBuffer into, long timeoutMillis) throws IOException {
        if (ring != null) {
            return receiveFromRing(null, into, 1, timeoutMillis) == 1;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        if (!takeTurn(timeoutMillis)) {
            return false;
        }
        try {
            ensureOpen();
            boolean direct = into.isDirect();
            if (!direct && receiveScratch == null) {
                receiveScratch = ByteBuffer.allocateDirect(MAX_FRAME);
            }
            ByteBuffer target = direct ? into.clear() : receiveScratch.clear();
            int room = Math.min(into.capacity(), target.capacity());
            while (true) {
                long n = Native.recv(fd, target, room, name);
                if (n == -Native.ENETDOWN) {
                    linkDownEvents++;
                    continue;
                }
                if (n >= 0) {
                    if (!direct) {
                        into.clear().put(0, receiveScratch, 0, (int) n);
                    }
                    into.position(0).limit((int) n);
                    return true;
                }
                int wait = remainingMillis(timeoutMillis, deadline);
                if (wait == 0) {
                    return false;
                }
                await(receivePollFds, Native.POLLIN, wait);
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * One recvmmsg for up to {@code count} frames (at most {@link MessageVector#CAPACITY}); the
     * wait for the first works as in {@link #receive}. Heap buffers take the one-by-one path.
     */
    @Override
    public int receiveMany(ByteBuffer[] into, int count, long timeoutMillis) throws IOException {
        if (ring != null) {
            return receiveFromRing(into, null, count, timeoutMillis);
        }
        int batch = Math.min(count, MessageVector.CAPACITY);
        for (int i = 0; i < batch; i++) {
            if (!into[i].isDirect()) {
                return EthernetLink.super.receiveMany(into, count, timeoutMillis);
            }
        }
        if (batch < 1) {
            return 0;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        if (!takeTurn(timeoutMillis)) {
            return 0;
        }
        try {
            ensureOpen();
            for (int i = 0; i < batch; i++) {
                receiveVector.set(i, into[i].clear(), 0, into[i].capacity());
            }
            while (true) {
                int n = Native.recvmmsg(fd, receiveVector.headers(), batch, name);
                if (n == -Native.ENETDOWN) {
                    linkDownEvents++;
                    continue;
                }
                if (n > 0) {
                    for (int i = 0; i < n; i++) {
                        into[i].position(0).limit(Math.min(receiveVector.length(i), into[i].capacity()));
                    }
                    return n;
                }
                int wait = remainingMillis(timeoutMillis, deadline);
                if (wait == 0) {
                    return 0;
                }
                await(receivePollFds, Native.POLLIN, wait);
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Runs of direct buffers go out in one sendmmsg each; a heap buffer, and a frame the kernel
     * would not take at once (full buffer, ENOBUFS, ENETDOWN, too long), goes through
     * {@link #send}, which handles each case as documented there.
     */
    @Override
    public void sendMany(ByteBuffer[] frames, int count) throws IOException {
        int i = 0;
        while (i < count) {
            int run = 0;
            int sent;
            sendLock.lock();
            try {
                ensureOpen();
                while (run < MessageVector.CAPACITY && i + run < count && frames[i + run].isDirect()) {
                    ByteBuffer f = frames[i + run];
                    sendVector.set(run, f, f.position(), f.remaining());
                    run++;
                }
                sent = run == 0 ? 0 : Native.sendmmsg(fd, sendVector.headers(), run);
                for (int k = i; k < i + sent; k++) {
                    frames[k].position(frames[k].limit());
                }
                i += sent;
            } finally {
                sendLock.unlock();
            }
            if (sent < run || run == 0) {
                // the frame at i did not go in a batch: send it alone, which waits or counts as needed
                send(frames[i]);
                i++;
            }
        }
    }

    /**
     * Takes up to {@code count} frames from the ring into {@code into}, or one into {@code one};
     * waits for the first as {@link #receive} does. A wake-up with the ring empty means the socket
     * has an error to report (the interface went down, or is gone): a recv collects it.
     */
    private int receiveFromRing(ByteBuffer[] into, ByteBuffer one, int count, long timeoutMillis) throws IOException {
        if (count < 1) {
            return 0;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        if (!takeTurn(timeoutMillis)) {
            return 0;
        }
        try {
            ensureOpen();
            ByteBuffer[] buffers = into;
            if (buffers == null) {
                ringSingle[0] = one;
                buffers = ringSingle;
            }
            boolean woken = false;
            while (true) {
                int n = ring.take(buffers, count);
                if (n > 0) {
                    return n;
                }
                if (woken && Native.recv(fd, ringErrorProbe.clear(), 0, name) == -Native.ENETDOWN) {
                    linkDownEvents++;
                }
                int wait = remainingMillis(timeoutMillis, deadline);
                if (wait == 0) {
                    return 0;
                }
                await(receivePollFds, Native.POLLIN, wait);
                woken = true;
            }
        } finally {
            ringSingle[0] = null;
            receiveLock.unlock();
        }
    }

    private boolean takeTurn(long timeoutMillis) throws InterruptedIOException {
        try {
            if (timeoutMillis < 0) {
                receiveLock.lockInterruptibly();
                return true;
            }
            return receiveLock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to receive on " + name);
        }
    }

    /** -1 forever, 0 no more waiting, else milliseconds left rounded up so a wait never ends early. */
    private static int remainingMillis(long timeoutMillis, long deadline) {
        if (timeoutMillis < 0) {
            return -1;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    /** Waits until the socket is ready for {@code events}, the time is up, or the link closes. */
    private void await(Pointer fds, short events, int timeoutMillis) throws IOException {
        Structs.PollFd layout = Structs.PollFd.LAYOUT;
        Pointer signal = fds.slice(layout.size());
        layout.events.set(fds, events);
        layout.revents.set(fds, (short) 0);
        layout.events.set(signal, Native.POLLIN);
        layout.revents.set(signal, (short) 0);
        Native.poll(fds, 2, timeoutMillis, name);
        if (layout.revents.get(signal) != 0) {
            throw new AsynchronousCloseException();
        }
    }

    /** Frames the kernel dropped because our receive buffer was full, since open. */
    @Override
    public long drops() throws IOException {
        controlLock.lock();
        try {
            readStatistics();
            return kernelDrops;
        } finally {
            controlLock.unlock();
        }
    }

    /** Frames that passed the filter since open, dropped ones included. */
    public long kernelPackets() throws IOException {
        controlLock.lock();
        try {
            readStatistics();
            return kernelPackets;
        } finally {
            controlLock.unlock();
        }
    }

    /** Frames the device queue refused (ENOBUFS), since open. */
    public long sendDrops() {
        return sendDrops;
    }

    /**
     * How often a receiver saw the interface go down (ENETDOWN) and waited it out, since open:
     * frames sent to us while it was down are lost.
     */
    public long linkDownEvents() {
        return linkDownEvents;
    }

    /**
     * PACKET_STATISTICS resets the kernel's counters on each read, so they are summed here. After
     * close the sums stay readable.
     */
    private void readStatistics() throws IOException {
        if (closed.get()) {
            return;
        }
        Structs.TpacketStats layout = Structs.TpacketStats.LAYOUT;
        Native.getsockopt(fd, Native.SOL_PACKET, Native.PACKET_STATISTICS, "PACKET_STATISTICS", stats, layout.size(),
                statsLength, name);
        kernelPackets += layout.packets.get(stats);
        kernelDrops += layout.drops.get(stats);
    }

    /** The receive buffer the kernel granted, in bytes of its own accounting (see {@link #kernelBytesPerFrame}). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /**
     * How many full-MTU frames the granted receive buffer (or the receive ring) holds, at the MTU of open time: less
     * than asked for when the kernel capped the size (no CAP_NET_ADMIN, net.core.rmem_max), so
     * worth a warning in the log.
     */
    public int receiveBufferFrames() {
        return ring != null ? ring.frames() : receiveBufferBytes / bytesPerFrameAtOpen;
    }

    /** Whether frames arrive through a {@link ReceiveRing}. */
    public boolean hasReceiveRing() {
        return ring != null;
    }

    /** Whether PACKET_IGNORE_OUTGOING took (Linux 4.20+); see {@link #ignoreOutgoing}. */
    public boolean ignoresOutgoing() {
        return ignoresOutgoing;
    }

    /** Wakes blocked threads, waits for them to leave, then closes the socket. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Native.signal(closeSignal, closeSignalValue, name);
        } finally {
            sendLock.lock();
            receiveLock.lock();
            controlLock.lock();
            try {
                Native.close(fd);
                Native.close(closeSignal);
                if (ring != null) {
                    ring.unmap();
                }
            } finally {
                controlLock.unlock();
                receiveLock.unlock();
                sendLock.unlock();
            }
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "packet socket on " + name + " (" + mac + (ring != null ? ", " + ring : "") + ")";
    }
}
