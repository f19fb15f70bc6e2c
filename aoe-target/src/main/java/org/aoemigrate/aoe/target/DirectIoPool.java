package org.aoemigrate.aoe.target;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.wire.AoeFrame;

/**
 * I/O threads for the exports opened in direct mode ({@link IoMode#DIRECT}), whose every read
 * waits for the device: served one at a time on the receive thread, as vblade does, a request
 * costs the receive loop a device round trip (50-110 us for 4 KiB on this machine's virtio
 * disk, more when others use it), so the window the initiator keeps in flight would wait in the
 * socket queue.
 * Here the receive thread checks a request (mask, reservation, range, size stay there), copies
 * it into a pooled {@link IoRequest} and goes on; an I/O thread does the pread or pwrite, builds
 * the reply in the request's buffer and sends it on the request's link. Each export's
 * {@link IoOrder} decides what may run at the same time.
 *
 * <p>Reads that follow each other on the disk within one received batch (a 4 KiB read at MTU
 * 1500 arrives as four 1 KiB requests; a sequential reader's window arrives in order) become a
 * run: one I/O thread serves the run with one device read ({@link RequestHandler#perform}).
 * Direct I/O reads whole file system blocks anyway, so four 1 KiB requests would otherwise read
 * the same 4 KiB block four times.
 *
 * <p>Bounded: {@code requests} are made at start (a direct buffer of {@link RequestHandler#MAX_REPLY}
 * bytes each) and reused. When all are in use, the receive thread waits for one, so the link's
 * socket queue fills and the kernel drops frames, as it would for a slow inline target.
 */
final class DirectIoPool {

    /** Does one request's I/O (or a run's) and sends its replies: {@link RequestHandler#perform}. */
    @FunctionalInterface
    interface Performer {
        void perform(IoRequest request);
    }

    private static final Logger LOG = System.getLogger(DirectIoPool.class.getName());
    /** How long {@link #close} waits for requests in flight to finish. */
    private static final long DRAIN_MILLIS = 10_000;
    /** Sectors one run reads at most (64 KiB): well inside a store's staging buffer. */
    static final int MAX_RUN_SECTORS = 128;

    private final int threadCount;
    private final int requestCount;
    private final BlockingQueue<IoRequest> free;
    private final BlockingQueue<IoRequest> ready;
    private final List<Thread> threads = new ArrayList<>();
    /** Queued once per thread at close, after the last real request: the thread ends on taking it. */
    private final IoRequest stop = new IoRequest(0);
    /** Per receive thread: the adjacent reads of the batch being handled, not yet admitted. */
    private final ThreadLocal<PendingRun> pending = ThreadLocal.withInitial(PendingRun::new);

    /**
     * @param threads  I/O threads: about how many device reads may be in flight at once
     * @param requests requests in the pool: enough for the buffer counts advertised on direct exports
     */
    DirectIoPool(int threads, int requests) {
        if (threads < 1 || requests < 1) {
            throw new IllegalArgumentException("a direct I/O pool needs at least one thread and one request, not "
                    + threads + " and " + requests);
        }
        this.threadCount = threads;
        this.requestCount = requests;
        this.free = new ArrayBlockingQueue<>(requests);
        // room for every pooled request plus one stop signal per thread
        this.ready = new ArrayBlockingQueue<>(requests + threads);
        for (int i = 0; i < requests; i++) {
            free.add(new IoRequest(RequestHandler.MAX_REPLY));
        }
    }

    /** Starts the I/O threads, which hand each request to {@code performer}. */
    synchronized void start(Performer performer) {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("the direct I/O pool is running already");
        }
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> work(performer), "aoe-target io " + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * Queues the I/O for a request that passed every check: waits for a free pooled request if
     * all are in use, copies the frame into it, and lets the export's order decide when it runs.
     * A read that continues the previous read of this thread's batch joins its run, which is
     * admitted when something else comes or the batch ends ({@link #endBatch}); anything else
     * admits the run first, so requests always enter the order in the order they arrived.
     * Returns false, having done nothing, if the thread was interrupted while waiting (the
     * frame then gets no reply, like a frame the socket dropped; the initiator resends it).
     */
    boolean submit(ServedLink link, Export export, AoeFrame frame, IoRequest.Kind kind, long lba, int count) {
        PendingRun run = pending.get();
        IoRequest r = free.poll();
        if (r == null) {
            admit(run); // what this thread holds back must not wait for what it holds
            try {
                r = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        r.fill(link, export, frame, kind, lba, count);
        if (kind == IoRequest.Kind.READ && run.continues(r)) {
            run.add(r);
            return true;
        }
        admit(run);
        if (kind == IoRequest.Kind.READ) {
            run.add(r);
        } else if (export.ioOrder().admit(r)) {
            ready.add(r); // never full: it has room for every pooled request
        }
        return true;
    }

    /** The receive thread handled its batch: its pending reads are admitted. */
    void endBatch() {
        admit(pending.get());
    }

    /**
     * Admits a run's reads one by one, in order. Those that may run now go to the I/O threads as
     * one run (or singly, when a read in between is held back); held ones run singly when
     * {@link IoOrder} releases them.
     */
    private void admit(PendingRun run) {
        IoRequest leader = null;
        IoRequest tail = null;
        for (IoRequest r = run.first; r != null; ) {
            IoRequest next = r.nextInRun;
            r.nextInRun = null;
            if (!r.export.ioOrder().admit(r)) {
                queue(leader);
                leader = tail = null;
            } else if (leader == null) {
                leader = tail = r;
            } else {
                tail.nextInRun = r;
                tail = r;
            }
            r = next;
        }
        queue(leader);
        run.clear();
    }

    private void queue(IoRequest leader) {
        if (leader != null) {
            ready.add(leader);
        }
    }

    private void work(Performer performer) {
        while (true) {
            IoRequest r;
            try {
                r = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == stop) {
                return;
            }
            try {
                performer.perform(r);
            } finally {
                for (IoRequest done = r; done != null; ) {
                    IoRequest next = done.nextInRun;
                    release(done.export.ioOrder().complete(done));
                    done.clear();
                    free.add(done);
                    done = next;
                }
            }
        }
    }

    private void release(IoRequest released) {
        for (IoRequest next = released; next != null; ) {
            IoRequest after = next.nextReleased;
            next.nextReleased = null;
            ready.add(next);
            next = after;
        }
    }

    /**
     * Waits until every submitted request is done (up to 10 s), then stops the threads. Call
     * after the receive threads stopped, so nothing new comes in, and before the exports close.
     */
    synchronized void close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (free.size() < requestCount && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (free.size() < requestCount) {
            LOG.log(Level.WARNING, (requestCount - free.size()) + " direct I/O requests were still in flight at stop");
        }
        // not an interrupt: one that reached a thread inside a read would close the file (FileChannel)
        for (int i = 0; i < threads.size(); i++) {
            ready.add(stop);
        }
        for (Thread t : threads) {
            try {
                t.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    /** Adjacent reads of one receive thread's batch, chained through {@link IoRequest#nextInRun}. */
    private static final class PendingRun {
        IoRequest first;
        IoRequest last;
        int sectors;

        /** Whether {@code r} reads on from where the run ends, on the same link and export, and fits. */
        boolean continues(IoRequest r) {
            return last != null && r.link == last.link && r.export == last.export && r.lba == last.lba + last.count
                    && sectors + r.count <= MAX_RUN_SECTORS;
        }

        void add(IoRequest r) {
            r.nextInRun = null;
            if (first == null) {
                first = r;
            } else {
                last.nextInRun = r;
            }
            last = r;
            sectors += r.count;
        }

        void clear() {
            first = last = null;
            sectors = 0;
        }
    }
}
