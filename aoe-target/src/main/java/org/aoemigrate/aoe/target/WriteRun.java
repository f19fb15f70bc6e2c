package org.aoemigrate.aoe.target;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.AoeFrame;

/**
 * The checked writes of one received batch that follow each other on the disk, held back so
 * that {@link RequestHandler} can write them with one system call
 * ({@link BackingStore#writeAdjacent}) and only then build their replies. A sequential writer's
 * window arrives in order, so at MTU 9000 one batch of 32 writes becomes one gathered write.
 *
 * <p>Order: the handler writes the run out before it handles anything else of the batch (a
 * read, a flush, a write that does not continue the run), so every request still acts on the
 * store in arrival order, as in the one-at-a-time loop ({@link IoOrder} gives the same rule to
 * the I/O threads). The writes inside a run touch disjoint sectors, so their order among
 * themselves does not matter. Used by one thread; the frames stay valid until the batch is
 * handled, because the serve loop reuses a buffer only at its next receive.
 */
final class WriteRun {

    /** The most writes one run holds; the serve loop's batches are smaller. */
    static final int MAX_WRITES = 64;

    final AoeFrame[] frames = new AoeFrame[MAX_WRITES];
    final long[] lbas = new long[MAX_WRITES];
    final int[] counts = new int[MAX_WRITES];
    /** Each write's data, a view of its frame: what the gathered write consumes. */
    final ByteBuffer[] data = new ByteBuffer[MAX_WRITES];
    ServedLink link;
    Export export;
    ReplySink sink;
    int size;

    /** Whether a write of {@code lba} on {@code export}, received on {@code link}, extends this run. */
    boolean continuedBy(ServedLink link, Export export, ReplySink sink, long lba) {
        return size > 0 && size < MAX_WRITES && this.export == export && this.link == link && this.sink == sink
                && lba == lbas[size - 1] + counts[size - 1];
    }

    /** Adds a checked write; the run must be empty or {@link #continuedBy} it. */
    void add(ServedLink link, Export export, ReplySink sink, AoeFrame f, long lba, int count) {
        if (size == 0) {
            this.link = link;
            this.export = export;
            this.sink = sink;
        }
        frames[size] = f;
        lbas[size] = lba;
        counts[size] = count;
        data[size] = f.buffer().slice(f.dataIndex(), count * AoeConstants.SECTOR_SIZE);
        size++;
    }

    /** Empties the run (its requests are answered). */
    void clear() {
        Arrays.fill(frames, 0, size, null);
        Arrays.fill(data, 0, size, null);
        link = null;
        export = null;
        sink = null;
        size = 0;
    }
}
