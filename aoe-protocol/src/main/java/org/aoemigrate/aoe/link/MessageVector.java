package org.aoemigrate.aoe.link;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The native argument of one recvmmsg or sendmmsg call: an array of {@code struct mmsghdr}, each
 * with one {@code struct iovec} pointing straight into a direct frame buffer, so frames are
 * neither copied nor allocated. Allocated once per link and direction; used under that
 * direction's lock only.
 *
 * <p>Layouts (Linux x86_64 and aarch64, checked with gcc): {@code mmsghdr} is 64 bytes, a
 * {@code msghdr} of 56 (msg_iov at 16, msg_iovlen at 24) and msg_len at 56; {@code iovec} is 16
 * (iov_base at 0, iov_len at 8). msg_name and msg_control stay NULL: the socket is bound to one
 * interface and EtherType, so the frame itself says everything.
 */
final class MessageVector {

    /** The most frames one call moves. */
    static final int CAPACITY = 64;

    private static final int MMSGHDR_SIZE = 64;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int IOVEC_SIZE = 16;
    private static final int IOV_BASE = 0;
    private static final int IOV_LEN = 8;

    private final Pointer headers = Memory.allocateDirect(Native.runtime(), CAPACITY * MMSGHDR_SIZE, true);
    private final Pointer iovecs = Memory.allocateDirect(Native.runtime(), CAPACITY * IOVEC_SIZE, true);
    /** The buffer each slot pointed at last, and its address: callers reuse their buffers, so the lookup is rare. */
    private final ByteBuffer[] lastBuffer = new ByteBuffer[CAPACITY];
    private final long[] lastAddress = new long[CAPACITY];

    MessageVector() {
        for (int i = 0; i < CAPACITY; i++) {
            headers.putAddress((long) i * MMSGHDR_SIZE + MSG_IOV, iovecs.address() + (long) i * IOVEC_SIZE);
            headers.putLong((long) i * MMSGHDR_SIZE + MSG_IOVLEN, 1);
        }
    }

    /** The pointer to pass to the system call. */
    Pointer headers() {
        return headers;
    }

    /** Points slot {@code i} at {@code length} bytes of the direct buffer, from {@code offset}. */
    void set(int i, ByteBuffer direct, int offset, int length) {
        if (lastBuffer[i] != direct) {
            lastAddress[i] = MemoryIO.getInstance().getDirectBufferAddress(direct);
            lastBuffer[i] = direct;
        }
        iovecs.putAddress((long) i * IOVEC_SIZE + IOV_BASE, lastAddress[i] + offset);
        iovecs.putLong((long) i * IOVEC_SIZE + IOV_LEN, length);
        headers.putInt((long) i * MMSGHDR_SIZE + MSG_FLAGS, 0);
    }

    /** The bytes slot {@code i} received (after recvmmsg). */
    int length(int i) {
        return headers.getInt((long) i * MMSGHDR_SIZE + MSG_LEN);
    }
}
