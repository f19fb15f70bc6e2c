package org.aoemigrate.aoe.initiator;

import static org.aoemigrate.aoe.wire.AoeConstants.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves one device's requests over its paths: sends frames as the congestion windows allow,
 * matches answers, resends what times out, fails what reaches the deadline, and takes paths out
 * of and back into service.
 *
 * <p>Threads: callers submit; each link's receive thread delivers answers ({@link #onReply});
 * the initiator's timer thread calls {@link #tick} every few milliseconds. One lock guards all
 * state. Frames are built in one buffer under that lock and sent at once, so sending allocates
 * nothing; futures are completed after the lock is released, so a caller's continuation may
 * submit more work without deadlock.
 */
final class DeviceEngine implements ReplySink {

    private final AoeAddress address;
    private final List<DevicePath> paths;
    private final int sectorsPerFrame;
    private final RetransmitPolicy policy;
    private final TagTable tags;
    private final Runnable onClose;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Transfer<?>> queue = new ArrayDeque<>();
    private final ArrayList<Exchange> outstanding = new ArrayList<>();
    private Exchange[] tickSnapshot = new Exchange[64];
    private final ByteBuffer scratch;
    private int roundRobin;
    private boolean closed;

    private long requests;
    private long answers;
    private long retransmissions;
    private long spuriousRetransmissions;
    private long timeouts;
    private long errors;
    private long staleReplies;

    DeviceEngine(AoeAddress address, List<DevicePath> paths, int sectorsPerFrame, RetransmitPolicy policy,
            TagTable tags, Runnable onClose) {
        this.address = address;
        this.paths = List.copyOf(paths);
        this.sectorsPerFrame = sectorsPerFrame;
        this.policy = policy;
        this.tags = tags;
        this.onClose = onClose;
        int largest = Math.max(Math.max(ATA_DATA + sectorsPerFrame * SECTOR_SIZE, CONFIG_STRING + MAX_CONFIG_STRING),
                Math.max(MASK_DIRECTIVES + 255 * MASK_DIRECTIVE_LENGTH, RESERVE_MACS + 255 * MAC_LENGTH));
        this.scratch = ByteBuffer.allocateDirect(Math.max(MIN_FRAME, largest));
    }

    AoeAddress address() {
        return address;
    }

    List<DevicePath> paths() {
        return paths;
    }

    int sectorsPerFrame() {
        return sectorsPerFrame;
    }

    /** Queues the transfer and sends what the windows allow; the deadline is the policy's. */
    <T> CompletableFuture<T> submit(Transfer<T> t) {
        return submit(t, policy.deadline().toNanos());
    }

    /** Queues the transfer with its own deadline (a Config test's silence timeout, a probe's interval). */
    <T> CompletableFuture<T> submit(Transfer<T> t, long deadlineNanos) {
        lock.lock();
        try {
            if (closed) {
                t.failure = new AoeException(address + " is closed; open it again to send " + t.describe(0));
                t.finished = true;
            } else if (t.frames == 0) {
                t.finished = true;
            } else {
                t.deadlineNanos = deadlineNanos;
                t.lastProgressNanos = System.nanoTime();
                queue.addLast(t);
                pump(t.lastProgressNanos);
            }
        } finally {
            lock.unlock();
        }
        if (t.finished) {
            t.deliver();
        }
        return t.future;
    }

    // ---- sending ----

    /** Sends queued frames while some path has room and tags are free. Lock held. */
    private void pump(long now) {
        while (!queue.isEmpty()) {
            Transfer<?> t = queue.peekFirst();
            DevicePath path = pathForNewFrame(t);
            if (path == null) {
                return;
            }
            Exchange ex = tags.acquire(this);
            if (ex == null) {
                return; // every tag is in flight; an answer will free one and pump again
            }
            ex.transfer = t;
            ex.frame = t.nextFrame++;
            if (t.nextFrame == t.frames) {
                queue.pollFirst();
            }
            ex.firstSentNanos = now;
            ex.position = outstanding.size();
            outstanding.add(ex);
            requests++;
            transmit(ex, path, now);
        }
    }

    /**
     * Round-robin over the paths the transfer may use that are up and have room. If none of
     * those paths is up, the down ones are used (they may be fine, and the deadline still
     * holds), so I/O never stalls just because every path looked dead for a moment.
     */
    private DevicePath pathForNewFrame(Transfer<?> t) {
        if (t.pinnedPath != null) {
            return t.pinnedPath; // probes: tiny, and the point is to reach that path
        }
        int n = paths.size();
        boolean anyUp = false;
        for (int k = 0; k < n; k++) {
            DevicePath p = paths.get((roundRobin + k) % n);
            if (allowed(t, p) && !p.down) {
                anyUp = true;
                if (p.hasRoom()) {
                    roundRobin = p.index + 1;
                    return p;
                }
            }
        }
        if (anyUp) {
            return null;
        }
        for (int k = 0; k < n; k++) {
            DevicePath p = paths.get((roundRobin + k) % n);
            if (allowed(t, p) && p.hasRoom()) {
                roundRobin = p.index + 1;
                return p;
            }
        }
        return null;
    }

    /**
     * The path for a retransmission: the next usable path after the one that timed out (Linux
     * rotates the interface on every resend), up paths first. Windows are not consulted: the
     * frame was already counted against one.
     */
    private DevicePath pathForResend(Transfer<?> t, DevicePath previous) {
        if (t.pinnedPath != null) {
            return t.pinnedPath;
        }
        int n = paths.size();
        DevicePath fallback = null;
        for (int k = 1; k <= n; k++) {
            DevicePath p = paths.get((previous.index + k) % n);
            if (!allowed(t, p)) {
                continue;
            }
            if (!p.down) {
                return p;
            }
            if (fallback == null) {
                fallback = p;
            }
        }
        return fallback != null ? fallback : previous;
    }

    private static boolean allowed(Transfer<?> t, DevicePath p) {
        return t.pinnedTarget == null || t.pinnedTarget.equals(p.target);
    }

    /** Sends (or resends) the exchange on {@code path} with a fresh tag. Lock held. */
    private void transmit(Exchange ex, DevicePath path, long now) {
        if (path.outstanding++ == 0) {
            path.silentSinceNanos = now;
        }
        ex.path = path;
        if (ex.attempts++ == 0) {
            ex.firstPath = path;
        }
        ex.pathsTried |= 1L << path.index;
        ex.lastSentNanos = now;
        long timeout = path.rtt.timeoutNanos(ex.attempts);
        if (ex.transfer.isWrite()) {
            timeout = Math.max(timeout, policy.minWriteTimeout().toNanos());
        }
        ex.retransmitAtNanos = now + timeout;
        int tag = tags.nextTag(ex);

        ByteBuffer out = scratch;
        out.clear();
        int length = ex.transfer.encode(ex.frame, out);
        path.target.write(out, DESTINATION);
        path.link.mac().write(out, SOURCE);
        out.putShort(ETHERTYPE, (short) ETHERTYPE_AOE);
        out.put(VERSION_FLAGS, (byte) (VERSION << 4));
        out.put(ERROR, (byte) 0);
        out.putShort(SHELF, (short) address.shelf());
        out.put(SLOT, (byte) address.slot());
        out.put(COMMAND, (byte) ex.transfer.command());
        out.putInt(TAG, tag);
        int padded = Math.max(MIN_FRAME, length);
        for (int i = length; i < padded; i++) {
            out.put(i, (byte) 0); // r11: reserved and padding bytes are zero
        }
        out.limit(padded).position(0);
        path.sent++;
        try {
            path.link.send(out);
        } catch (IOException e) {
            // the interface refused (down, gone): the timer treats it as a lost frame and
            // resends elsewhere, so the caller sees this only as a timeout if no path works
            path.sendErrors++;
            path.lastSendError = e.getMessage();
        }
    }

    // ---- answers ----

    @Override
    public void onReply(Exchange ex, int tag, ByteBuffer frame, LinkPort link) {
        Transfer<?> finished = null;
        lock.lock();
        try {
            if (ex.sink != this || ex.transfer == null || !tags.owns(ex, tag)) {
                staleReplies++;
                return;
            }
            int base = frame.position();
            DevicePath answeredOn = pathOf(link, LinkPort.macAt(frame, base + SOURCE));
            if (answeredOn == null
                    || Short.toUnsignedInt(frame.getShort(base + SHELF)) != address.shelf()
                    || Byte.toUnsignedInt(frame.get(base + SLOT)) != address.slot()
                    || Byte.toUnsignedInt(frame.get(base + COMMAND)) != ex.transfer.command()) {
                staleReplies++; // a tag match from a stranger: not an answer to us
                return;
            }
            long now = System.nanoTime();
            answeredOn.onAnswer(now);
            DevicePath sentOn = ex.path;
            if (ex.attempts == 1) {
                sentOn.rtt.sample(now - ex.lastSentNanos);
            } else if (tags.isFirst(ex, tag)) {
                // the first copy was late, not lost: its tag says so, so unlike Karn's ambiguous
                // case this round trip is exact; and the timeout that resent it was premature
                ex.firstPath.rtt.sample(now - ex.firstSentNanos);
                ex.firstPath.window.undoTimeout();
                spuriousRetransmissions++;
            }
            sentOn.window.onAnswer();
            answers++;
            Transfer<?> t = ex.transfer;
            int f = ex.frame;
            retire(ex);
            if (!t.finished) {
                try {
                    t.onAnswer(f, frame);
                    t.answered++;
                    t.lastProgressNanos = now;
                    if (t.answered == t.frames) {
                        t.finished = true;
                        finished = t;
                    }
                } catch (AoeException e) {
                    errors++;
                    finished = abort(t, e);
                } catch (RuntimeException e) {
                    // a bug or a misused buffer: fail this operation rather than leave it hanging
                    finished = abort(t, e);
                }
            }
            pump(now);
        } finally {
            lock.unlock();
        }
        if (finished != null) {
            finished.deliver();
        }
    }

    private DevicePath pathOf(LinkPort link, long macBits) {
        for (int i = 0; i < paths.size(); i++) { // indexed: runs per answer, and an iterator allocates
            DevicePath p = paths.get(i);
            if (p.link == link && p.target.bits() == macBits) {
                return p;
            }
        }
        return null;
    }

    /** Takes the exchange out of flight and frees its tag slot. Lock held. */
    private void retire(Exchange ex) {
        ex.path.outstanding--;
        int pos = ex.position;
        Exchange last = outstanding.remove(outstanding.size() - 1);
        if (last != ex) {
            outstanding.set(pos, last);
            last.position = pos;
        }
        tags.release(ex);
    }

    /** Ends the transfer with {@code failure}: drops its queued frames and its frames in flight. Lock held. */
    private Transfer<?> abort(Transfer<?> t, Throwable failure) {
        queue.remove(t);
        for (int i = outstanding.size() - 1; i >= 0; i--) {
            if (i < outstanding.size() && outstanding.get(i).transfer == t) {
                retire(outstanding.get(i));
            }
        }
        t.failure = failure;
        t.finished = true;
        return t;
    }

    // ---- time ----

    /** Resends what timed out, fails what reached the deadline, takes paths down, probes them. */
    void tick(long now) {
        List<Transfer<?>> finished = null;
        lock.lock();
        try {
            if (closed) {
                return; // the timer may run once more before the device leaves its list
            }
            int n = outstanding.size();
            if (tickSnapshot.length < n) {
                tickSnapshot = new Exchange[Math.max(n, 2 * tickSnapshot.length)];
            }
            outstanding.toArray(tickSnapshot);
            for (int i = 0; i < n; i++) {
                Exchange ex = tickSnapshot[i];
                tickSnapshot[i] = null;
                if (ex.sink != this || ex.transfer == null) {
                    continue; // retired earlier in this tick (its transfer was aborted)
                }
                Transfer<?> t = ex.transfer;
                if (now - ex.firstSentNanos >= t.deadlineNanos) {
                    finished = add(finished, expire(ex, now));
                } else if (now - ex.retransmitAtNanos >= 0 && t.resends()) {
                    resend(ex, now);
                }
            }
            for (Iterator<Transfer<?>> it = queue.iterator(); it.hasNext(); ) {
                Transfer<?> t = it.next();
                if (now - t.lastProgressNanos >= t.deadlineNanos) {
                    it.remove();
                    timeouts++;
                    finished = add(finished, abort(t, new AoeTimeoutException(address, t.describe(t.nextFrame),
                            t.lbaOf(t.nextFrame), List.of(), Duration.ofNanos(now - t.lastProgressNanos), 0)));
                }
            }
            for (DevicePath p : paths) {
                if (!p.down && p.outstanding > 0 && now - p.silentSinceNanos >= policy.pathDownAfter().toNanos()) {
                    markDown(p, now);
                }
                if (p.down && now - p.nextProbeNanos >= 0) {
                    probe(p, now);
                }
            }
            pump(now);
        } finally {
            lock.unlock();
        }
        if (finished != null) {
            finished.forEach(Transfer::deliver);
        }
    }

    private static List<Transfer<?>> add(List<Transfer<?>> list, Transfer<?> t) {
        if (t == null) {
            return list;
        }
        List<Transfer<?>> l = list == null ? new ArrayList<>() : list;
        l.add(t);
        return l;
    }

    /** The exchange reached its deadline: silence is the answer, or the transfer fails. */
    private Transfer<?> expire(Exchange ex, long now) {
        Transfer<?> t = ex.transfer;
        if (t.onSilence()) {
            retire(ex);
            t.finished = true;
            return t;
        }
        timeouts++;
        List<String> tried = new ArrayList<>();
        for (DevicePath p : paths) {
            if ((ex.pathsTried & (1L << p.index)) != 0) {
                tried.add(p.labelWithTrouble());
            }
        }
        return abort(t, new AoeTimeoutException(address, t.describe(ex.frame), t.lbaOf(ex.frame), tried,
                Duration.ofNanos(now - ex.firstSentNanos), ex.attempts));
    }

    /** The exchange timed out on its path: collapse that path's window, count the loss, resend elsewhere. */
    private void resend(Exchange ex, long now) {
        DevicePath lost = ex.path;
        lost.timeouts++;
        lost.window.onTimeout();
        if (++lost.lossesInRow >= policy.pathDownAfterLosses() && !lost.down) {
            markDown(lost, now);
        }
        lost.outstanding--;
        retransmissions++;
        transmit(ex, pathForResend(ex.transfer, lost), now);
    }

    private void markDown(DevicePath p, long now) {
        p.down = true;
        p.nextProbeNanos = now + policy.probeInterval().toNanos();
    }

    /** Asks a down path's target for its config; any answer on the path brings it back up. */
    private void probe(DevicePath p, long now) {
        p.nextProbeNanos = now + policy.probeInterval().toNanos();
        Transfer<?> probe = ManagementRequests.probe(address, p);
        probe.deadlineNanos = policy.probeInterval().toNanos();
        probe.lastProgressNanos = now;
        queue.addFirst(probe); // ahead of transfers that wait for window room
    }

    // ---- the rest ----

    DeviceStats stats() {
        lock.lock();
        try {
            return new DeviceStats(requests, answers, retransmissions, spuriousRetransmissions, timeouts, errors,
                    staleReplies,
                    paths.stream().map(DevicePath::stats).toList());
        } finally {
            lock.unlock();
        }
    }

    /** Fails everything queued or in flight and stops accepting work. */
    void close() {
        List<Transfer<?>> finished = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            while (!outstanding.isEmpty()) {
                Transfer<?> t = outstanding.get(outstanding.size() - 1).transfer;
                finished.add(abort(t, closedWhile(t)));
            }
            while (!queue.isEmpty()) {
                Transfer<?> t = queue.peekFirst();
                finished.add(abort(t, closedWhile(t)));
            }
        } finally {
            lock.unlock();
        }
        finished.forEach(Transfer::deliver);
        onClose.run();
    }

    private AoeException closedWhile(Transfer<?> t) {
        return new AoeException(address + " was closed while " + t.describe(Math.max(0, t.nextFrame - 1))
                + " was in progress");
    }
}
