package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The storage behind one {@code /dev/etherd/eS.L}: what the FUSE file reads from and writes to.
 * The initiator's AoE device is adapted to this; tests use a file or memory.
 *
 * <p>Every call may come from several FUSE worker threads at once, for different ranges.
 * A call blocks until the storage has answered; an {@link IOException} reaches the reader or
 * writer of the block device as EIO. A call must not block forever: the backend enforces its own
 * deadline (the AoE initiator retransmits up to one) and throws when it passes.
 */
public interface BlockBackend {

    /** The device size in bytes; fixed while the device is attached. */
    long sizeBytes();

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code offset}. The range
     * lies inside the device. The buffer is only valid during the call.
     */
    void read(long offset, ByteBuffer dst) throws IOException;

    /**
     * Stores the bytes of {@code src} (position to limit) at {@code offset} and returns only once
     * the storage has acknowledged them: the FUSE layer acknowledges the write to the kernel right
     * after. The range lies inside the device. The buffer is only valid during the call.
     */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every acknowledged write durable (the block device's cache flush, fsync). */
    void flush() throws IOException;
}
