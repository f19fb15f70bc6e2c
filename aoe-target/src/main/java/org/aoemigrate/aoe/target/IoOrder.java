package org.aoemigrate.aoe.target;

/**
 * The order rules for one export's data commands while several I/O threads serve them: which
 * admitted requests may run now, and which must wait for an earlier one.
 *
 * <p>Rules, by arrival order (the order the receive threads admitted the requests):
 * <ul>
 *   <li>a read or write waits for every earlier write whose sectors overlap its own, and a write
 *       also for every earlier overlapping read;</li>
 *   <li>a FLUSH CACHE waits for every earlier write, wherever it lies;</li>
 *   <li>nothing waits for a flush, and reads never wait for reads.</li>
 * </ul>
 *
 * <p>Why these: AoE orders nothing between tags (r11), and the Linux driver does not expect it
 * to: it keeps a window of requests in flight and completes each I/O on its own reply, and the
 * block layer above it issues a dependent request only after the first one completed. What
 * Linux does rely on, without saying so, is what a target serving one request at a time (vblade,
 * or ours inline) gives by accident: a request is done before anything that arrived after it
 * touches its sectors. That matters after a retransmission. The driver resends a late write with
 * a new tag and completes the I/O on the copy's reply; the file system may then write the same
 * sectors again while the first copy is still queued here. Run after the new write, that stale
 * copy would put old data back. With the first rule a stale write always lands before anything
 * that arrived after it, and a read that arrives after a write never returns what was there
 * before it; so the pool is no weaker than the inline loop for any pair of requests that could
 * tell the difference, and free for all others (reads, and writes to different sectors). A
 * flush waits for all earlier writes so its reply means that everything that arrived before it
 * is durable, which is what a flush after a completed write needs. A later request does not
 * wait for the flush: ATA promises nothing about writes issued after FLUSH CACHE. Over several
 * paths, the arrival order between links is whichever receive thread admitted first, which the
 * initiator cannot tell apart from the network's order either.
 *
 * <p>Admitted requests form a list in arrival order; a held request is released, in arrival
 * order, when no request before it in the list conflicts with it any more. Held requests count
 * as in flight for the ones behind them, because they will run before them. Thread-safe (one
 * lock per export: the receive threads admit, the I/O threads complete).
 */
final class IoOrder {

    private IoRequest first;
    private IoRequest last;
    private int held;

    /**
     * Puts {@code r} at the end of the order. Returns true if it may run now; otherwise it is
     * held and a later {@link #complete} releases it.
     */
    synchronized boolean admit(IoRequest r) {
        r.held = false;
        for (IoRequest e = first; e != null; e = e.later) {
            if (conflicts(e, r)) {
                r.held = true;
                held++;
                break;
            }
        }
        r.earlier = last;
        r.later = null;
        if (last == null) {
            first = r;
        } else {
            last.later = r;
        }
        last = r;
        return !r.held;
    }

    /**
     * Takes the finished request {@code done} out of the order and returns the requests that may
     * run now as a chain through {@link IoRequest#nextReleased} (null if none), in arrival order.
     */
    synchronized IoRequest complete(IoRequest done) {
        if (done.held) {
            throw new IllegalStateException(done + " completed while still held back");
        }
        if (done.earlier == null) {
            first = done.later;
        } else {
            done.earlier.later = done.later;
        }
        if (done.later == null) {
            last = done.earlier;
        } else {
            done.later.earlier = done.earlier;
        }
        done.earlier = done.later = null;
        if (held == 0) {
            return null;
        }
        IoRequest releasedFirst = null;
        IoRequest releasedLast = null;
        for (IoRequest r = first; r != null; r = r.later) {
            if (r.held && !conflictsWithEarlier(r)) {
                r.held = false;
                held--;
                r.nextReleased = null;
                if (releasedLast == null) {
                    releasedFirst = r;
                } else {
                    releasedLast.nextReleased = r;
                }
                releasedLast = r;
            }
        }
        return releasedFirst;
    }

    /** Requests admitted and not yet completed (held ones included). */
    synchronized int inFlight() {
        int n = 0;
        for (IoRequest r = first; r != null; r = r.later) {
            n++;
        }
        return n;
    }

    private static boolean conflictsWithEarlier(IoRequest r) {
        for (IoRequest e = r.earlier; e != null; e = e.earlier) {
            if (conflicts(e, r)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code later}, admitted after {@code earlier}, must wait for it (the rules above). */
    static boolean conflicts(IoRequest earlier, IoRequest later) {
        if (earlier.kind == IoRequest.Kind.FLUSH) {
            return false;
        }
        if (later.kind == IoRequest.Kind.FLUSH) {
            return earlier.kind == IoRequest.Kind.WRITE;
        }
        if (earlier.kind == IoRequest.Kind.READ && later.kind == IoRequest.Kind.READ) {
            return false;
        }
        return earlier.lba < later.lba + later.count && later.lba < earlier.lba + earlier.count;
    }
}
