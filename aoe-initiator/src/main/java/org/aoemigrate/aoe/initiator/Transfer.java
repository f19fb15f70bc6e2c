package org.aoemigrate.aoe.initiator;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One operation on a device, sent as one or more request frames: a read or write split into
 * frames, or a single command. Subclasses say how to encode frame {@code i} and how to take its
 * answer; the {@link DeviceEngine} decides when and where each frame goes. Fields are guarded by
 * the engine's lock; {@link #deliver()} runs outside it.
 *
 * @param <T> the operation's result
 */
abstract class Transfer<T> {

    final CompletableFuture<T> future = new CompletableFuture<>();
    final int frames;
    /** Only paths to this target MAC may carry the frames; null for any path. */
    final MacAddress pinnedTarget;
    /** Only this path may carry the frames (probes); null for any path. */
    final DevicePath pinnedPath;

    int nextFrame;
    int answered;
    long lastProgressNanos;
    /** How long a frame may go unanswered, set by the engine when the transfer is submitted. */
    long deadlineNanos;
    boolean finished;
    T result;
    Throwable failure;

    Transfer(int frames, MacAddress pinnedTarget, DevicePath pinnedPath) {
        this.frames = frames;
        this.pinnedTarget = pinnedTarget;
        this.pinnedPath = pinnedPath;
    }

    /** The AoE command code of every frame (r11 2.1, byte 19). */
    abstract int command();

    /**
     * Writes frame {@code frame}'s command argument and data at their absolute offsets in
     * {@code out} (from byte 24 on; the engine writes the common header afterwards) and returns
     * the frame length before padding.
     */
    abstract int encode(int frame, ByteBuffer out);

    /**
     * Takes the answer to frame {@code frame} (the frame between position and limit, reused
     * after the call). The engine has checked the source MAC, shelf, slot, command and tag.
     *
     * @throws AoeException to fail the whole operation: an AoE or ATA error, a malformed answer
     */
    abstract void onAnswer(int frame, ByteBuffer reply) throws AoeException;

    /** Frame {@code frame} in words, for messages: {@code READ of 2 sectors at LBA 8}. */
    abstract String describe(int frame);

    /** The first sector frame {@code frame} addresses, or -1 for commands without one. */
    long lbaOf(int frame) {
        return -1;
    }

    /**
     * False for path probes: the next probe is their retry, so resending one would only inflate
     * the retransmission counts that benchmarks read.
     */
    boolean resends() {
        return pinnedPath == null;
    }

    /** True for writes: never resent before {@link RetransmitPolicy#minWriteTimeout()}. */
    boolean isWrite() {
        return false;
    }

    /**
     * Called when a frame reached the deadline unanswered. Returns true if silence is itself the
     * answer (a Config test that did not match, r11 3.2), after setting {@link #result}.
     */
    boolean onSilence() {
        return false;
    }

    /** Completes the future with {@link #result} or {@link #failure}. Outside the engine's lock. */
    final void deliver() {
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(result);
        }
    }
}
