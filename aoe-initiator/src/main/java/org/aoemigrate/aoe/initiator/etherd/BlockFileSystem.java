package org.aoemigrate.aoe.initiator.etherd;

import static org.aoemigrate.aoe.initiator.etherd.Fuse3Layout.*;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.kenai.jffi.MemoryIO;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The FUSE low-level callbacks of a flat directory of block files: the root (inode 1) holds one
 * regular file per backend, inode 2 onwards in name order. Reads, writes, flush and fsync go to
 * the backend on the calling worker thread; the reply to the kernel follows the backend's answer,
 * so a write is acknowledged only after the backend acknowledged it. Every callback replies
 * exactly once, an error included, because the kernel waits for the reply.
 */
final class BlockFileSystem {

    private static final System.Logger LOG = System.getLogger(BlockFileSystem.class.getName());

    static final long ROOT_INO = 1;
    private static final int S_IFDIR = 0x4000;
    private static final int S_IFREG = 0x8000;
    /** The kernel may cache names and attributes this long: both are fixed while mounted. */
    private static final double CACHE_SECONDS = 60.0;
    /** The largest request we ask for (conn->max_write); the kernel's own ceiling is 256 pages. */
    static final int MAX_REQUEST = 1 << 20;

    private final LibFuse3.Functions fuse;
    private final Runtime runtime;
    private final List<String> names;
    private final List<BlockBackend> backends;
    /** The files' times: when they were mounted, the same for all. */
    private final long mountedAt = System.currentTimeMillis() / 1000;
    private final ThreadLocal<ByteBuffer> readBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_REQUEST));

    // jnr-ffi closures must stay strongly reachable while the session may call them.
    private final LibFuse3.InitOp initOp = this::init;
    private final LibFuse3.LookupOp lookupOp = this::lookup;
    private final LibFuse3.InodeOp getattrOp = this::getattr;
    private final LibFuse3.InodeOp openOp = this::open;
    private final LibFuse3.ReadOp readOp = this::read;
    private final LibFuse3.WriteOp writeOp = this::write;
    private final LibFuse3.InodeOp flushOp = this::flush;
    private final LibFuse3.FsyncOp fsyncOp = this::fsync;
    private final LibFuse3.ReadOp readdirOp = this::readdir;
    private final Pointer ops;

    BlockFileSystem(LibFuse3.Functions fuse, Map<String, BlockBackend> files) {
        this.fuse = fuse;
        this.runtime = Runtime.getRuntime(fuse);
        this.names = new ArrayList<>(files.keySet());
        this.names.sort(null);
        this.backends = names.stream().map(files::get).toList();
        this.ops = buildOps();
    }

    /** The struct fuse_lowlevel_ops for fuse_session_new; unset slots get libfuse's defaults. */
    Pointer ops() {
        return ops;
    }

    List<String> names() {
        return names;
    }

    private Pointer buildOps() {
        Pointer table = Memory.allocateDirect(runtime, OPS_SIZE, true);
        var closures = runtime.getClosureManager();
        table.putPointer((long) OPS_INIT * 8, closures.getClosurePointer(LibFuse3.InitOp.class, initOp));
        table.putPointer((long) OPS_LOOKUP * 8, closures.getClosurePointer(LibFuse3.LookupOp.class, lookupOp));
        table.putPointer((long) OPS_GETATTR * 8, closures.getClosurePointer(LibFuse3.InodeOp.class, getattrOp));
        table.putPointer((long) OPS_OPEN * 8, closures.getClosurePointer(LibFuse3.InodeOp.class, openOp));
        table.putPointer((long) OPS_READ * 8, closures.getClosurePointer(LibFuse3.ReadOp.class, readOp));
        table.putPointer((long) OPS_WRITE * 8, closures.getClosurePointer(LibFuse3.WriteOp.class, writeOp));
        table.putPointer((long) OPS_FLUSH * 8, closures.getClosurePointer(LibFuse3.InodeOp.class, flushOp));
        table.putPointer((long) OPS_FSYNC * 8, closures.getClosurePointer(LibFuse3.FsyncOp.class, fsyncOp));
        table.putPointer((long) OPS_READDIR * 8, closures.getClosurePointer(LibFuse3.ReadOp.class, readdirOp));
        return table;
    }

    private void init(Pointer userdata, Pointer conn) {
        // libfuse already caps max_write at its buffer (256 pages); ask for no more than 1 MiB so
        // one loop-device request of 1 MiB arrives as one callback, and keep ASYNC_DIO (on by default)
        // so the loop's requests arrive concurrently.
        long maxWrite = conn.getInt(CONN_MAX_WRITE) & 0xffffffffL;
        conn.putInt(CONN_MAX_WRITE, (int) Math.min(maxWrite, MAX_REQUEST));
        int capable = conn.getInt(CONN_CAPABLE);
        int want = conn.getInt(CONN_WANT);
        LOG.log(Level.DEBUG, () -> "FUSE init: max_write " + Math.min(maxWrite, MAX_REQUEST) + ", capable 0x" + Integer.toHexString(capable)
                + ", want 0x" + Integer.toHexString(want) + ((want & CAP_ASYNC_DIO) == 0 ? " (no ASYNC_DIO: requests arrive one at a time)" : ""));
    }

    private void lookup(Pointer req, long parent, Pointer name) {
        int index = parent == ROOT_INO ? names.indexOf(name.getString(0)) : -1;
        if (index < 0) {
            fuse.fuse_reply_err(req, Native.ENOENT);
            return;
        }
        Pointer entry = Memory.allocateDirect(runtime, ENTRY_SIZE, true);
        entry.putLong(ENTRY_INO, inoOf(index));
        fillStat(entry.slice(ENTRY_ATTR, STAT_SIZE), inoOf(index));
        entry.putDouble(ENTRY_ATTR_TIMEOUT, CACHE_SECONDS);
        entry.putDouble(ENTRY_ENTRY_TIMEOUT, CACHE_SECONDS);
        fuse.fuse_reply_entry(req, entry);
    }

    private void getattr(Pointer req, long ino, Pointer fileInfo) {
        if (ino != ROOT_INO && backendOf(ino) == null) {
            fuse.fuse_reply_err(req, Native.ENOENT);
            return;
        }
        Pointer stat = Memory.allocateDirect(runtime, STAT_SIZE);
        fillStat(stat, ino);
        fuse.fuse_reply_attr(req, stat, CACHE_SECONDS);
    }

    private void open(Pointer req, long ino, Pointer fileInfo) {
        if (ino == ROOT_INO) {
            fuse.fuse_reply_err(req, Native.EISDIR);
            return;
        }
        if (backendOf(ino) == null) {
            fuse.fuse_reply_err(req, Native.ENOENT);
            return;
        }
        // direct_io: no page cache for this file, every read and write reaches the backend.
        fileInfo.putInt(FILE_INFO_BITS, fileInfo.getInt(FILE_INFO_BITS) | FILE_INFO_DIRECT_IO);
        fuse.fuse_reply_open(req, fileInfo);
    }

    private void read(Pointer req, long ino, long size, long offset, Pointer fileInfo) {
        int length;
        ByteBuffer buffer;
        try {
            BlockBackend backend = existing(ino);
            length = (int) Math.max(0, Math.min(size, backend.sizeBytes() - offset));
            buffer = readBuffer(length);
            if (length > 0) {
                backend.read(offset, buffer);
                if (buffer.hasRemaining()) {
                    throw new IOException("backend returned " + buffer.position() + " of " + length + " bytes");
                }
            }
        } catch (Throwable e) {
            replyFailure(req, "read", ino, offset, size, e);
            return;
        }
        fuse.fuse_reply_buf(req, MemoryIO.getInstance().getDirectBufferAddress(buffer), length);
    }

    private void write(Pointer req, long ino, Pointer data, long size, long offset, Pointer fileInfo) {
        try {
            BlockBackend backend = existing(ino);
            if (offset < 0 || offset + size > backend.sizeBytes()) {
                fuse.fuse_reply_err(req, Native.ENOSPC);
                return;
            }
            // A view of libfuse's request buffer: no copy; valid until this callback returns.
            backend.write(offset, MemoryIO.getInstance().newDirectByteBuffer(data.address(), (int) size));
        } catch (Throwable e) {
            replyFailure(req, "write", ino, offset, size, e);
            return;
        }
        fuse.fuse_reply_write(req, size);
    }

    /** FLUSH comes with every close(2) of the file: make what was written durable then too. */
    private void flush(Pointer req, long ino, Pointer fileInfo) {
        sync(req, "flush", ino);
    }

    /** FSYNC: the loop device turns a cache flush (REQ_PREFLUSH, fsync of the node) into this. */
    private void fsync(Pointer req, long ino, int datasync, Pointer fileInfo) {
        sync(req, "fsync", ino);
    }

    private void sync(Pointer req, String op, long ino) {
        try {
            existing(ino).flush();
        } catch (Throwable e) {
            replyFailure(req, op, ino, 0, 0, e);
            return;
        }
        fuse.fuse_reply_err(req, 0);
    }

    /** The root's entries: ".", "..", then the files; the offset of an entry is its index + 1. */
    private void readdir(Pointer req, long ino, long size, long offset, Pointer fileInfo) {
        if (ino != ROOT_INO) {
            fuse.fuse_reply_err(req, backendOf(ino) == null ? Native.ENOENT : Native.ENOTDIR);
            return;
        }
        Pointer buf = Memory.allocateDirect(runtime, (int) size);
        Pointer stat = Memory.allocateDirect(runtime, STAT_SIZE);
        long used = 0;
        for (int i = (int) offset; i < names.size() + 2; i++) {
            long entryIno = i < 2 ? ROOT_INO : inoOf(i - 2);
            fillStat(stat, entryIno);
            String name = i == 0 ? "." : i == 1 ? ".." : names.get(i - 2);
            long need = fuse.fuse_add_direntry(req, buf.slice(used), size - used, name, stat, i + 1);
            if (need > size - used) {
                break;
            }
            used += need;
        }
        fuse.fuse_reply_buf(req, buf.address(), used);
    }

    private void fillStat(Pointer stat, long ino) {
        for (int i = 0; i < STAT_SIZE; i += 8) {
            stat.putLong(i, 0);
        }
        stat.putLong(STAT_INO, ino);
        stat.putLong(STAT_ATIME, mountedAt);
        stat.putLong(STAT_MTIME, mountedAt);
        stat.putLong(STAT_CTIME, mountedAt);
        if (ino == ROOT_INO) {
            stat.putInt(STAT_MODE, S_IFDIR | 0755);
            stat.putLong(STAT_NLINK, 2);
            return;
        }
        long size = backendOf(ino).sizeBytes();
        stat.putInt(STAT_MODE, S_IFREG | 0600);
        stat.putLong(STAT_NLINK, 1);
        stat.putLong(STAT_ST_SIZE, size);
        stat.putLong(STAT_BLKSIZE, 4096);
        stat.putLong(STAT_BLOCKS, (size + 511) / 512);
    }

    private ByteBuffer readBuffer(int length) {
        ByteBuffer buffer = readBuffers.get();
        if (buffer.capacity() < length) { // more than max_write was negotiated: grow for this thread
            buffer = ByteBuffer.allocateDirect(length);
            readBuffers.set(buffer);
        }
        return buffer.clear().limit(length);
    }

    private static long inoOf(int index) {
        return index + 2L;
    }

    private BlockBackend backendOf(long ino) {
        long index = ino - 2;
        return index >= 0 && index < backends.size() ? backends.get((int) index) : null;
    }

    private BlockBackend existing(long ino) throws IOException {
        BlockBackend backend = backendOf(ino);
        if (backend == null) {
            throw new IOException("no file with inode " + ino);
        }
        return backend;
    }

    private void replyFailure(Pointer req, String op, long ino, long offset, long size, Throwable e) {
        BlockBackend backend = backendOf(ino);
        String file = backend == null ? "inode " + ino : names.get((int) (ino - 2));
        LOG.log(Level.WARNING, op + " of " + size + " bytes at " + offset + " on " + file + " failed; the kernel gets EIO: " + e, e);
        fuse.fuse_reply_err(req, Native.EIO);
    }
}
