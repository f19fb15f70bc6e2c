package org.aoemigrate.aoe.target;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.aoemigrate.aoe.wire.AoeConstants;

/**
 * The sectors behind one export: a window of whole 512-byte sectors in a regular file or block
 * device. Every read and write is checked against the window, so a request can never touch a
 * byte outside it. Thread-safe: positional I/O only, so the receive threads of several links
 * can share one store.
 *
 * <p>Direct I/O (see {@link IoMode#DIRECT}): the JDK requires positions, lengths and buffer
 * addresses aligned to the file system block size, usually 4096, while AoE moves 512-byte
 * sectors. Requests are therefore staged in an aligned per-thread buffer; a write that does not
 * cover whole blocks reads them first and writes them back merged, under a lock so two paths
 * writing into one block cannot lose each other's data. The window must be block-aligned, so
 * those merges never rewrite a byte outside it.
 */
public final class BackingStore implements Closeable {

    private static final int SECTOR = AoeConstants.SECTOR_SIZE;

    private final Path path;
    private final FileChannel channel;
    private final long offsetBytes;
    private final long sectors;
    private final boolean readOnly;
    private final IoMode mode;
    /** Block size for direct I/O; 0 in the other modes. */
    private final int alignment;
    private final ThreadLocal<ByteBuffer> staging;
    private final ReentrantLock mergeLock = new ReentrantLock();
    /** Held across a {@link #writeAdjacent}'s seek and gathered write: the only users of the file position. */
    private final ReentrantLock positionLock = new ReentrantLock();
    /** Per receive thread: what {@link #readAhead} read for the batch being handled. */
    private final ThreadLocal<ReadAhead> readAhead = ThreadLocal.withInitial(ReadAhead::new);

    private BackingStore(Path path, FileChannel channel, long offsetSectors, long sectors, boolean readOnly,
            IoMode mode, int alignment) {
        this.path = path;
        this.channel = channel;
        this.offsetBytes = offsetSectors * SECTOR;
        this.sectors = sectors;
        this.readOnly = readOnly;
        this.mode = mode;
        this.alignment = alignment;
        int stagingSize = AoeConstants.MAX_SECTOR_COUNT * SECTOR + 2 * alignment;
        this.staging = alignment == 0 ? null
                : ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(stagingSize + alignment).alignedSlice(alignment));
    }

    /**
     * A whole file through the page cache, over {@code channel} as given: lets tests put a channel
     * that fails where they choose behind an export. The channel is closed with the store.
     */
    static BackingStore overChannel(Path path, FileChannel channel, boolean readOnly) throws IOException {
        long sectors = channel.size() / SECTOR;
        if (sectors == 0) {
            throw new IOException(path + " holds no whole 512-byte sector; an export needs at least one");
        }
        return new BackingStore(path, channel, 0, sectors, readOnly, IoMode.BUFFERED, 0);
    }

    /** Opens the window the spec describes; the messages say what is wrong and what to do. */
    public static BackingStore open(ExportSpec spec) throws IOException {
        return open(spec.path(), spec.offsetSectors(), spec.lengthSectors(), spec.readOnly(), spec.ioMode());
    }

    public static BackingStore open(Path path, long offsetSectors, OptionalLong lengthSectors, boolean readOnly,
            IoMode mode) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a directory; an export needs a regular file or a block device");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "no such file or device; create the image first (e.g. truncate -s 10G " + path + ")");
        }
        List<OpenOption> options = new ArrayList<>(List.of(StandardOpenOption.READ));
        if (!readOnly) {
            options.add(StandardOpenOption.WRITE);
        }
        if (mode != IoMode.BUFFERED && !readOnly) {
            options.add(StandardOpenOption.DSYNC);
        }
        if (mode == IoMode.DIRECT) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        FileChannel channel = FileChannel.open(path, options.toArray(OpenOption[]::new));
        try {
            // FileChannel.size() asks the kernel for the size of a block device too (JDK 17).
            long bytes = channel.size();
            long total = bytes / SECTOR;
            long length = checkWindow(path, bytes, total, offsetSectors, lengthSectors);
            int alignment = 0;
            if (mode == IoMode.DIRECT) {
                alignment = (int) Math.max(SECTOR, Files.getFileStore(path).getBlockSize());
                checkDirectAlignment(path, alignment, offsetSectors, length);
            }
            return new BackingStore(path.toRealPath(), channel, offsetSectors, length,
                    readOnly, mode, alignment);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Returns the window length in sectors, or throws with what is wrong (vblade's checks, with the right numbers). */
    private static long checkWindow(Path path, long bytes, long total, long offset, OptionalLong length) throws IOException {
        if (total == 0) {
            throw new IOException(path + " holds no whole 512-byte sector (" + bytes + " bytes); an export needs at least one");
        }
        if (offset >= total) {
            throw new IOException("offset " + offset + " sectors is at or beyond the end of " + path + " ("
                    + total + " sectors); use an offset below " + total);
        }
        long available = total - offset;
        if (length.isEmpty()) {
            return available;
        }
        long wanted = length.getAsLong();
        if (wanted > available) {
            throw new IOException("length " + wanted + " sectors goes beyond the end of " + path + ": it has " + total
                    + " sectors, so after offset " + offset + " at most " + available + " remain; use a length of at most "
                    + available);
        }
        return wanted;
    }

    private static void checkDirectAlignment(Path path, int alignment, long offsetSectors, long lengthSectors)
            throws IOException {
        long perBlock = alignment / SECTOR;
        if (offsetSectors % perBlock != 0 || lengthSectors % perBlock != 0) {
            throw new IOException("direct I/O on " + path + " works in " + alignment + "-byte blocks (" + perBlock
                    + " sectors), but the export window is offset " + offsetSectors + ", length " + lengthSectors
                    + " sectors; align both to " + perBlock + " sectors, or use the sync I/O mode");
        }
    }

    /** The real path of the file or device. */
    public Path path() {
        return path;
    }

    /** The window's size in sectors: the device size the initiator sees. */
    public long sectors() {
        return sectors;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public IoMode mode() {
        return mode;
    }

    /** True if sectors {@code lba .. lba+count-1} lie inside the window. */
    public boolean contains(long lba, int count) {
        return lba >= 0 && count >= 0 && lba <= sectors - count;
    }

    /**
     * Reads sectors {@code lba..lba+count-1} now, in one system call, for the requests of the
     * batch this thread is handling: their {@link #read}s inside the range then copy from memory.
     * Valid for this thread until {@link #forgetReadAhead} or its next {@link #write}; a write by
     * another thread meanwhile is as concurrent as the requests were, so either order is right.
     * Returns false (and reads nothing) when the range leaves the window, is too large, or the
     * mode is direct I/O, whose reads go through the aligned staging buffer.
     */
    public boolean readAhead(long lba, int count) throws IOException {
        if (alignment != 0 || !contains(lba, count)) {
            return false;
        }
        ReadAhead ahead = readAhead.get();
        ByteBuffer room = ahead.reserve(count);
        if (room == null) {
            return false;
        }
        fill(room, offsetBytes + lba * SECTOR);
        ahead.commit(lba, count);
        return true;
    }

    /** Ends this thread's read-ahead (the batch is handled). */
    public void forgetReadAhead() {
        readAhead.get().clear();
    }

    /**
     * Reads {@code count} sectors starting at {@code lba} into {@code dst} at its position,
     * which moves past them.
     *
     * @throws IllegalArgumentException if the range leaves the window (callers check first)
     * @throws IOException on an I/O error or if the file shrank under us
     */
    public void read(long lba, int count, ByteBuffer dst) throws IOException {
        requireInside(lba, count);
        int length = count * SECTOR;
        long position = offsetBytes + lba * SECTOR;
        if (alignment == 0) {
            ReadAhead ahead = readAhead.get();
            if (ahead.isEmpty() || !ahead.copy(lba, count, dst)) {
                fill(dst.slice(dst.position(), length), position);
            }
        } else {
            long start = alignDown(position);
            ByteBuffer stage = staged(start, alignUp(position + length) - start);
            fill(stage, start);
            dst.put(dst.position(), stage, (int) (position - start), length);
        }
        dst.position(dst.position() + length);
    }

    /**
     * Direct I/O only: reads sectors {@code lba..lba+count-1} with one aligned read into this
     * thread's staging buffer and returns them there, as a view valid until this thread's next
     * read or write on this store. Lets a run of adjacent requests share one device read.
     *
     * @throws IllegalStateException if the store is not in direct mode
     */
    ByteBuffer readStaged(long lba, int count) throws IOException {
        if (alignment == 0) {
            throw new IllegalStateException(path + " is not open for direct I/O; use read");
        }
        requireInside(lba, count);
        long position = offsetBytes + lba * SECTOR;
        long start = alignDown(position);
        ByteBuffer stage = staged(start, alignUp(position + (long) count * SECTOR) - start);
        fill(stage, start);
        return stage.slice((int) (position - start), count * SECTOR);
    }

    /**
     * Writes {@code count} sectors from {@code src} at its position (which moves past them) to
     * {@code lba}. Durable on return in {@link IoMode#SYNC} and {@link IoMode#DIRECT}.
     *
     * @throws IllegalArgumentException if the range leaves the window or the store is read-only
     */
    public void write(long lba, int count, ByteBuffer src) throws IOException {
        requireInside(lba, count);
        if (readOnly) {
            throw new IllegalArgumentException("export " + path + " is read-only");
        }
        int length = count * SECTOR;
        long position = offsetBytes + lba * SECTOR;
        ByteBuffer data = src.slice(src.position(), length);
        if (alignment == 0) {
            readAhead.get().clear(); // what this thread read ahead may be older than this write
            drain(data, position);
        } else {
            writeDirect(data, position);
        }
        src.position(src.position() + length);
    }

    /**
     * Page cache and sync modes: writes {@code data[0..n)} back to back from {@code lba} in one
     * system call (a seek, then a gathered write), for a run of adjacent write requests. Each
     * buffer's remaining bytes must be whole sectors; positions move past what was written.
     * Returns true only if every byte was written (in {@link IoMode#SYNC}: and is durable).
     * Returns false if the call failed or wrote less; some of the data may then be written and
     * some not, so the caller writes each request again on its own ({@link #write}), which
     * tells per request whether its sectors were written.
     *
     * @throws IllegalArgumentException if the range leaves the window, the store is read-only,
     *                                  a buffer is not whole sectors, or the store is in direct mode
     */
    boolean writeAdjacent(long lba, ByteBuffer[] data, int n) {
        if (alignment != 0) {
            throw new IllegalArgumentException(path + " is open for direct I/O, whose writes are staged one by one; use write");
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            if (data[i].remaining() % SECTOR != 0) {
                throw new IllegalArgumentException("write " + i + " of a run on " + path + " carries " + data[i].remaining()
                        + " bytes, not whole sectors");
            }
            bytes += data[i].remaining();
        }
        requireInside(lba, (int) Math.min(Integer.MAX_VALUE, bytes / SECTOR));
        if (readOnly) {
            throw new IllegalArgumentException("export " + path + " is read-only");
        }
        readAhead.get().clear(); // what this thread read ahead may be older than this write
        positionLock.lock();
        try {
            channel.position(offsetBytes + lba * SECTOR);
            return channel.write(data, 0, n) == bytes;
        } catch (IOException e) {
            return false; // the caller writes each request on its own, and each reports its own error
        } finally {
            positionLock.unlock();
        }
    }

    private void writeDirect(ByteBuffer data, long position) throws IOException {
        long start = alignDown(position);
        long end = alignUp(position + data.remaining());
        boolean partialHead = start != position;
        boolean partialTail = end != position + data.remaining();
        ByteBuffer stage = staged(start, end - start);
        mergeLock.lock();
        try {
            if (partialHead) {
                fill(stage.slice(0, alignment), start);
            }
            if (partialTail && !(partialHead && end - start == alignment)) {
                fill(stage.slice((int) (end - alignment - start), alignment), end - alignment);
            }
            stage.put((int) (position - start), data, 0, data.remaining());
            drain(stage, start);
        } finally {
            mergeLock.unlock();
        }
    }

    /** Makes written data durable: FLUSH CACHE. A no-op cost in SYNC and DIRECT, which are durable already. */
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }

    private void requireInside(long lba, int count) {
        if (!contains(lba, count)) {
            throw new IllegalArgumentException("sectors " + lba + "+" + count + " lie outside export " + path + " ("
                    + sectors + " sectors)");
        }
    }

    private ByteBuffer staged(long start, long length) {
        ByteBuffer stage = staging.get();
        stage.clear().limit((int) length);
        return stage;
    }

    private long alignDown(long position) {
        return position - Math.floorMod(position, alignment);
    }

    private long alignUp(long position) {
        return alignDown(position + alignment - 1);
    }

    /** Reads until {@code into} is full. */
    private void fill(ByteBuffer into, long position) throws IOException {
        ByteBuffer b = into.duplicate();
        while (b.hasRemaining()) {
            int n = channel.read(b, position + b.position());
            if (n < 0) {
                throw new EOFException(path + " ended at byte " + (position + b.position())
                        + " inside the export window; was it truncated?");
            }
        }
    }

    /** Writes all of {@code from}. */
    private void drain(ByteBuffer from, long position) throws IOException {
        ByteBuffer b = from.duplicate();
        while (b.hasRemaining()) {
            channel.write(b, position + b.position());
        }
    }

    @Override
    public String toString() {
        return path + " [" + offsetBytes / SECTOR + "+" + sectors + " sectors, " + mode + (readOnly ? ", read-only" : "") + "]";
    }
}
