package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.aoemigrate.aoe.link.EthernetLink;

/**
 * The replies to one received batch of frames, sent together ({@link EthernetLink#sendMany}: one
 * sendmmsg on a packet socket) once the whole batch is handled. Deferring is safe because a
 * reply is either built in place in its request's buffer, which the serve loop does not reuse
 * before the next receive, or in a buffer of its own. An I/O thread uses one the same way for
 * the replies to a run of reads ({@link DirectIoPool}). Used by one thread only.
 */
final class ReplyBatch implements ReplySink {

    private final TargetCounters counters;
    private ByteBuffer[] pending;
    private int count;

    ReplyBatch(TargetCounters counters, int expected) {
        this.counters = counters;
        this.pending = new ByteBuffer[Math.max(1, expected)];
    }

    /** Queues the reply; it goes out at the next {@link #flush}. */
    @Override
    public void send(ByteBuffer reply) {
        if (count == pending.length) {
            // a broadcast Query Config answers once per export: make room rather than split the batch
            pending = Arrays.copyOf(pending, count * 2);
        }
        pending[count++] = reply;
    }

    /**
     * Sends what is queued. A reply the link could not send is counted as
     * {@link TargetEvent#SEND_FAILED} (the handler counted it as {@link TargetEvent#REPLY_OUT}
     * when it was queued); sent ones have their position at their limit.
     */
    void flush(EthernetLink link) {
        if (count == 0) {
            return;
        }
        try {
            link.sendMany(pending, count);
        } catch (IOException e) {
            for (int i = 0; i < count; i++) {
                if (pending[i].hasRemaining()) {
                    counters.count(TargetEvent.SEND_FAILED);
                }
            }
        } finally {
            Arrays.fill(pending, 0, count, null);
            count = 0;
        }
    }
}
