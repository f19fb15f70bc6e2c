package org.aoemigrate.aoe.target;

import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * Sectors one receive thread read from a {@link BackingStore} in one go for the batch it is
 * handling: a few ranges packed into one direct buffer. The batch's read requests inside a range
 * copy from it instead of making a system call each. Belongs to one thread and one store.
 */
final class ReadAhead {

    /** Sectors held at most: 256 KiB, a batch of 32 full frames at MTU 9000. */
    static final int CAPACITY_SECTORS = 512;
    private static final int MAX_RANGES = 8;
    private static final int SECTOR = AoeConstants.SECTOR_SIZE;

    private ByteBuffer data;
    private final long[] firstLba = new long[MAX_RANGES];
    private final int[] startSector = new int[MAX_RANGES];
    private final int[] sectors = new int[MAX_RANGES];
    private int ranges;
    private int used;

    /**
     * Room for {@code count} more sectors starting at {@code lba}, as a buffer slice to fill, or
     * null if the ranges or sectors are used up. The range counts once {@link #commit} is called.
     */
    ByteBuffer reserve(int count) {
        if (ranges == MAX_RANGES || used + count > CAPACITY_SECTORS) {
            return null;
        }
        if (data == null) {
            data = ByteBuffer.allocateDirect(CAPACITY_SECTORS * SECTOR);
        }
        return data.slice(used * SECTOR, count * SECTOR);
    }

    /** Makes the slice last returned by {@link #reserve} readable as sectors {@code lba..lba+count-1}. */
    void commit(long lba, int count) {
        firstLba[ranges] = lba;
        startSector[ranges] = used;
        sectors[ranges] = count;
        ranges++;
        used += count;
    }

    /** Copies sectors {@code lba..lba+count-1} into {@code dst} at its position if held; true if so. */
    boolean copy(long lba, int count, ByteBuffer dst) {
        for (int r = 0; r < ranges; r++) {
            long offset = lba - firstLba[r];
            if (offset >= 0 && offset + count <= sectors[r]) {
                dst.put(dst.position(), data, (startSector[r] + (int) offset) * SECTOR, count * SECTOR);
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return ranges == 0;
    }

    /** Forgets every range (end of the batch, or a write by this thread). */
    void clear() {
        ranges = 0;
        used = 0;
    }
}
