package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.file.Path;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.mode_t;

/** The few libc calls the etherd layer makes: loop status, block nodes, unmounting. */
final class Native {

    /** open(2) flags and modes (asm-generic, x86_64). */
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int S_IFBLK = 0x6000;
    static final int MNT_DETACH = 2;

    /** errno values (asm-generic/errno-base.h). */
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;

    /** linux/loop.h: reads the loop's {@code struct loop_info64}. */
    static final long LOOP_GET_STATUS64 = 0x4C05;

    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        int ioctl(int fd, long request, @Out Pointer arg);

        int umount2(String target, int flags);

        int mount(String source, String target, String fsType, long flags, Pointer data);

        int mknod(String path, @mode_t int mode, @dev_t long dev);

        @IgnoreError
        void free(Pointer memory);

        @IgnoreError
        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private Native() {
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    /** An exception naming the call, its subject and the errno text. */
    static IOException failure(String call, Object subject, int errno) {
        return new NativeIOException(call + "(" + subject + ") failed: " + libc().strerror(errno) + " (errno " + errno + ")", errno);
    }

    /** Opens read-only, retrying EINTR; returns the fd or throws. */
    static int openReadOnly(Path path) throws IOException {
        int fd;
        do {
            fd = libc().open(path.toString(), O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno() == EINTR);
        if (fd < 0) {
            throw failure("open", path, errno());
        }
        return fd;
    }

    static void ioctl(int fd, Path subject, long request, Pointer arg) throws IOException {
        int rc;
        do {
            rc = libc().ioctl(fd, request, arg);
        } while (rc < 0 && errno() == EINTR);
        if (rc < 0) {
            throw failure("ioctl " + Long.toHexString(request), subject, errno());
        }
    }

    static void close(int fd) {
        libc().close(fd); // nothing useful to do on failure: the fd is gone either way (close(2), NOTES)
    }

    /** Unmounts; {@code flags} 0 fails with EBUSY while files are open, MNT_DETACH never does. */
    static void umount2(Path target, int flags) throws IOException {
        if (libc().umount2(target.toString(), flags) != 0) {
            throw failure("umount2", target + ", " + flags, errno());
        }
    }

    /** Mounts the FUSE control filesystem (fusectl) at {@code target}. */
    static void mountFuseControl(Path target) throws IOException {
        if (libc().mount("fusectl", target.toString(), "fusectl", 0, null) != 0) {
            throw failure("mount fusectl", target, errno());
        }
    }

    static void mknodBlock(Path path, int permissions, int major, int minor) throws IOException {
        if (libc().mknod(path.toString(), S_IFBLK | permissions, makedev(major, minor)) != 0) {
            throw failure("mknod", path + " " + major + ":" + minor, errno());
        }
    }

    /** glibc's makedev(3): 12-bit major and 20-bit minor split across the 64-bit dev_t. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    /** An IOException that keeps the errno, so callers can tell one failure from another. */
    static final class NativeIOException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        NativeIOException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }
}
