package org.aoemigrate.aoe.initiator.etherd;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;

/**
 * The libfuse3 low-level API calls this layer uses (fuse_lowlevel.h; verified against 3.14),
 * bound with jnr-ffi. The low-level API is used rather than libfuse 2 (jnr-fuse) because only libfuse3 lets
 * the kernel send 1 MiB requests (FUSE_MAX_PAGES) and several at once from the loop device
 * (FUSE_ASYNC_DIO); see docs/fuse-probe.md. Every call returns its status, so errno is not saved.
 * The interfaces are public because jnr-ffi implements them in its own class loader.
 */
final class LibFuse3 {

    /** The soname the struct offsets in {@link Fuse3Layout} belong to. */
    static final String SONAME = "libfuse3.so.3";

    private LibFuse3() {
    }

    /** The functions (fuse_lowlevel.h, fuse_common.h, fuse_opt.h). */
    public interface Functions {
        int fuse_version();

        Pointer fuse_session_new(Pointer args, Pointer ops, @size_t long opsSize, Pointer userdata);

        void fuse_opt_free_args(Pointer args);

        int fuse_session_mount(Pointer session, String mountpoint);

        /** Reads one request; 0 once the session ended (unmounted or aborted), -errno on error. */
        int fuse_session_receive_buf(Pointer session, Pointer buf);

        void fuse_session_process_buf(Pointer session, Pointer buf);

        int fuse_session_exited(Pointer session);

        void fuse_session_destroy(Pointer session);

        int fuse_reply_err(Pointer req, int errno);

        int fuse_reply_entry(Pointer req, Pointer entryParam);

        int fuse_reply_attr(Pointer req, Pointer stat, double attrTimeout);

        int fuse_reply_open(Pointer req, Pointer fileInfo);

        int fuse_reply_buf(Pointer req, @intptr_t long data, @size_t long size);

        int fuse_reply_write(Pointer req, @size_t long count);

        @size_t
        long fuse_add_direntry(Pointer req, Pointer buf, @size_t long bufSize, String name, Pointer stat, @off_t long nextOffset);
    }

    /** init(void *userdata, struct fuse_conn_info *conn). */
    public interface InitOp {
        @Delegate
        void init(Pointer userdata, Pointer conn);
    }

    /** lookup(req, parent, const char *name). */
    public interface LookupOp {
        @Delegate
        void lookup(Pointer req, long parent, Pointer name);
    }

    /** getattr, open, flush: (req, ino, struct fuse_file_info *fi). */
    public interface InodeOp {
        @Delegate
        void call(Pointer req, long ino, Pointer fileInfo);
    }

    /** read, readdir: (req, ino, size, off, fi). */
    public interface ReadOp {
        @Delegate
        void read(Pointer req, long ino, @size_t long size, @off_t long offset, Pointer fileInfo);
    }

    /** write(req, ino, const char *buf, size, off, fi). */
    public interface WriteOp {
        @Delegate
        void write(Pointer req, long ino, Pointer data, @size_t long size, @off_t long offset, Pointer fileInfo);
    }

    /** fsync(req, ino, int datasync, fi). */
    public interface FsyncOp {
        @Delegate
        void fsync(Pointer req, long ino, int datasync, Pointer fileInfo);
    }

    /**
     * Loads libfuse3 once and checks it is a 3.x library, whose struct layout this binding knows;
     * throws IllegalStateException saying what to install when it is missing or another version.
     */
    static Functions load() {
        if (Holder.LIB == null) {
            throw Holder.PROBLEM;
        }
        return Holder.LIB;
    }

    private static final class Holder {
        static final IllegalStateException PROBLEM;
        static final Functions LIB;

        static {
            Functions lib = null;
            IllegalStateException problem = null;
            try {
                lib = LibraryLoader.create(Functions.class).option(LibraryOption.IgnoreError, true).load(SONAME);
                int version = lib.fuse_version(); // FUSE_MAKE_VERSION(maj, min) = maj * 100 + min
                if (version / 100 != 3) {
                    problem = new IllegalStateException("libfuse " + version / 100 + "." + version % 100 + " found as " + SONAME
                            + "; the etherd FUSE binding needs libfuse 3 (Debian package libfuse3-3)");
                    lib = null;
                }
            } catch (LinkageError e) {
                problem = new IllegalStateException("cannot load " + SONAME + " (" + e.getMessage() + "); install libfuse3-3 and fuse3", e);
            }
            LIB = lib;
            PROBLEM = problem;
        }

        private Holder() {
        }
    }
}
