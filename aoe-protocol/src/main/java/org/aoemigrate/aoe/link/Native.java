package org.aoemigrate.aoe.link;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.off_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls behind {@link PacketSocketLink}, bound once through jnr-ffi, with thin wrappers
 * that retry on EINTR and turn a failure into a {@link LinkSyscallException} naming the call,
 * the interface and the errno. Constants are Linux x86_64/aarch64 values (the same on both).
 *
 * <p>Frame buffers are direct {@link ByteBuffer}s: jnr-ffi passes their address plus position, so
 * nothing is copied. Structs are {@link Structs} layouts over memory allocated once per socket.
 */
final class Native {

    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_ATTACH_FILTER = 26;
    /** Like SO_SNDBUF/SO_RCVBUF but past net.core.[wr]mem_max; needs CAP_NET_ADMIN. */
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;

    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    /** Linux 4.20+. */
    static final int PACKET_IGNORE_OUTGOING = 23;

    static final int SIOCGIFMTU = 0x8921;
    static final int SIOCGIFHWADDR = 0x8927;
    static final int SIOCGIFINDEX = 0x8933;
    static final int ARPHRD_ETHER = 1;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x1;

    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EMSGSIZE = 90;
    static final int ENODEV = 19;
    static final int ENOPROTOOPT = 92;
    static final int ENETDOWN = 100;
    static final int ENOBUFS = 105;

    /** The calls used, and only those. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, @In Pointer address, int addressLength);

        int setsockopt(int fd, int level, int name, @In Pointer value, int valueLength);

        int getsockopt(int fd, int level, int name, @Out Pointer value, Pointer valueLength);

        @ssize_t long send(int fd, @In ByteBuffer frame, @size_t long length, int flags);

        @ssize_t long recv(int fd, @Out ByteBuffer frame, @size_t long length, int flags);

        /** Linux 2.6.33+; {@code timeout} is always NULL here (the socket is non-blocking). */
        int recvmmsg(int fd, Pointer messages, int count, int flags, Pointer timeout);

        /** Linux 3.0+. */
        int sendmmsg(int fd, Pointer messages, int count, int flags);

        int poll(Pointer fds, int count, int timeoutMillis);

        /** Declared variadic in C; every request used here takes one pointer, which passes the same way. */
        int ioctl(int fd, long request, Pointer argument);

        int eventfd(int initialValue, int flags);

        /**
         * Returns MAP_FAILED, (void *) -1, on failure. The address is a {@link Pointer} (null):
         * declared as a {@code long}, jnr-ffi 2.3 passed a garbage offset (glibc refused with
         * EINVAL before any system call).
         */
        Pointer mmap(Pointer address, @size_t long length, int protection, int flags, int fd, @off_t long offset);

        int munmap(Pointer address, @size_t long length);

        @ssize_t long write(int fd, @In Pointer data, @size_t long length);

        int close(int fd);

        @IgnoreError
        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class)
                .load(Platform.getNativePlatform().getStandardCLibraryName());
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private Native() {}

    static LibC libc() {
        return Holder.LIBC;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    /** {@code socket(2)}; the fd is non-blocking (waits go through {@link #poll}) and close-on-exec. */
    static int socket(int domain, int type, int protocol, String interfaceName) throws LinkSyscallException {
        int fd = libc().socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw failure("socket(AF_PACKET, SOCK_RAW)", interfaceName);
        }
        return fd;
    }

    static void bind(int fd, Pointer address, int length, String interfaceName) throws LinkSyscallException {
        if (libc().bind(fd, address, length) < 0) {
            throw failure("bind(sockaddr_ll)", interfaceName);
        }
    }

    static void setsockopt(int fd, int level, int name, String optionName, Pointer value, int length,
            String interfaceName) throws LinkSyscallException {
        if (libc().setsockopt(fd, level, name, value, length) < 0) {
            throw failure("setsockopt(" + optionName + ")", interfaceName);
        }
    }

    /** Reads an option into {@code value}; {@code lengthCell} is a 4-byte scratch cell. */
    static void getsockopt(int fd, int level, int name, String optionName, Pointer value, int length,
            Pointer lengthCell, String interfaceName) throws LinkSyscallException {
        lengthCell.putInt(0, length);
        if (libc().getsockopt(fd, level, name, value, lengthCell) < 0) {
            throw failure("getsockopt(" + optionName + ")", interfaceName);
        }
    }

    /**
     * {@code send(2)} of {@code length} bytes from the buffer's position. Returns the bytes sent,
     * or minus one of the errnos the caller handles: EAGAIN (send buffer full), ENOBUFS (the
     * device queue dropped the frame), ENETDOWN (the interface is down, or was since the last call).
     */
    static long send(int fd, ByteBuffer frame, int length, String interfaceName) throws LinkSyscallException {
        while (true) {
            long n = libc().send(fd, frame, length, 0);
            if (n >= 0) {
                return n;
            }
            int errno = errno();
            if (errno == EAGAIN || errno == ENOBUFS || errno == ENETDOWN) {
                return -errno;
            }
            if (errno != EINTR) {
                throw failure("send", interfaceName, errno);
            }
        }
    }

    /**
     * {@code recv(2)} into the buffer from its position. Returns the bytes received, or -EAGAIN
     * (nothing queued) or -ENETDOWN (the interface went down since the last call).
     */
    static long recv(int fd, ByteBuffer into, int length, String interfaceName) throws LinkSyscallException {
        while (true) {
            long n = libc().recv(fd, into, length, 0);
            if (n >= 0) {
                return n;
            }
            int errno = errno();
            if (errno == EAGAIN || errno == ENETDOWN) {
                return -errno;
            }
            if (errno != EINTR) {
                throw failure("recv", interfaceName, errno);
            }
        }
    }

    /**
     * {@code recvmmsg(2)} of up to {@code count} frames into the vector. Returns how many
     * arrived, or minus EAGAIN (nothing queued) or minus ENETDOWN, as {@link #recv}.
     */
    static int recvmmsg(int fd, Pointer messages, int count, String interfaceName) throws LinkSyscallException {
        while (true) {
            int n = libc().recvmmsg(fd, messages, count, 0, null);
            if (n >= 0) {
                return n;
            }
            int errno = errno();
            if (errno == EAGAIN || errno == ENETDOWN) {
                return -errno;
            }
            if (errno != EINTR) {
                throw failure("recvmmsg", interfaceName, errno);
            }
        }
    }

    /**
     * {@code sendmmsg(2)} of up to {@code count} frames from the vector. Returns how many went
     * out; 0 when the first could not go (the caller sends that one alone through {@link #send},
     * which handles every errno), and on EINTR before anything went out.
     */
    static int sendmmsg(int fd, Pointer messages, int count) {
        return Math.max(0, libc().sendmmsg(fd, messages, count, 0));
    }

    /** {@code poll(2)}; an EINTR counts as a wake-up with nothing ready, so the caller re-checks its deadline. */
    static int poll(Pointer fds, int count, int timeoutMillis, String interfaceName) throws LinkSyscallException {
        int n = libc().poll(fds, count, timeoutMillis);
        if (n < 0) {
            int errno = errno();
            if (errno == EINTR) {
                return 0;
            }
            throw failure("poll", interfaceName, errno);
        }
        return n;
    }

    static void ioctl(int fd, long request, String requestName, Pointer argument, String interfaceName)
            throws LinkSyscallException {
        while (libc().ioctl(fd, request, argument) < 0) {
            int errno = errno();
            if (errno != EINTR) {
                throw failure("ioctl(" + requestName + ")", interfaceName, errno);
            }
        }
    }

    static int eventfd(String interfaceName) throws LinkSyscallException {
        int fd = libc().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) {
            throw failure("eventfd", interfaceName);
        }
        return fd;
    }

    /** Adds to an eventfd's counter, making it readable until someone reads it (nobody does). */
    static void signal(int eventFd, Pointer eightBytes, String interfaceName) throws LinkSyscallException {
        eightBytes.putLong(0, 1);
        while (libc().write(eventFd, eightBytes, 8) < 0) {
            int errno = errno();
            if (errno != EINTR) {
                throw failure("write(eventfd)", interfaceName, errno);
            }
        }
    }

    /** Maps {@code length} bytes of the socket's ring, shared with the kernel; returns the address. */
    static Pointer mmap(int fd, long length, String interfaceName) throws LinkSyscallException {
        Pointer address = libc().mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (address == null || address.address() == -1) {
            throw failure("mmap(PACKET_RX_RING)", interfaceName);
        }
        return address;
    }

    /** Unmaps quietly, as {@link #close}: a failure would leave nothing to do but leak. */
    static void munmap(Pointer address, long length) {
        libc().munmap(address, length);
    }

    /** Closes quietly: after close(2) fails the fd is gone on Linux anyway, so there is nothing to retry. */
    static void close(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    static LinkSyscallException failure(String call, String interfaceName) {
        return failure(call, interfaceName, errno());
    }

    static LinkSyscallException failure(String call, String interfaceName, int errno) {
        return new LinkSyscallException(call, interfaceName, errno, Errno.name(errno), libc().strerror(errno));
    }
}
