package org.aoemigrate.aoe.link;

import com.kenai.jffi.MemoryIO;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A packet socket's receive ring (PACKET_RX_RING, TPACKET_V2, see the kernel's
 * Documentation/networking/packet_mmap.rst): the kernel copies each arriving frame into the next
 * free slot of memory shared with us and marks it ready, so taking a frame is a copy out of
 * that memory, not a system call. The socket then holds frames in the ring only (its receive
 * buffer size no longer matters): {@link #frames()} is how many it queues before it drops.
 *
 * <p>Slot layout: a {@code struct tpacket2_hdr} (tp_status at 0, tp_len at 4, tp_snaplen at 8,
 * tp_mac at 12) and the frame at tp_mac. A slot belongs to the kernel while its status is
 * TP_STATUS_KERNEL (0) and to us once TP_STATUS_USER (bit 0) is set; the status is read with
 * acquire and handed back with release semantics, as the kernel's barriers expect. Used under
 * its link's receive lock only.
 */
final class ReceiveRing {

    static final int TPACKET_V2 = 1;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int PAGE = 4096;
    /**
     * Where the kernel puts a frame in its slot: TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - 14 =
     * 80 - 14 (af_packet.c, tpacket_rcv), so a slot needs 80 + MTU bytes.
     */
    private static final int SLOT_OVERHEAD = 80;
    /** Slots hold a jumbo frame at least, so a later MTU change up to 9000 truncates nothing. */
    private static final int MIN_SLOT_MTU = 9000;

    private static final int TP_LEN = 4;
    private static final int TP_SNAPLEN = 8;
    private static final int TP_MAC = 12;

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Pointer address;
    private final long size;
    private final ByteBuffer memory;
    private final int slotSize;
    private final int slots;
    private int head;
    private long truncated;

    private ReceiveRing(Pointer address, long size, int slotSize, int slots) {
        this.address = address;
        this.size = size;
        this.slotSize = slotSize;
        this.slots = slots;
        this.memory = MemoryIO.getInstance().newDirectByteBuffer(address.address(), (int) size).order(ByteOrder.nativeOrder());
    }

    /**
     * Sets TPACKET_V2, asks for {@code frames} slots big enough for {@code mtu} (or 9000) and
     * maps them. Call before bind, so no frame reaches the socket's ordinary queue first.
     */
    static ReceiveRing attach(int fd, int frames, int mtu, String name) throws LinkSyscallException {
        int slotSize = Integer.highestOneBit(SLOT_OVERHEAD + EthernetFrames.HEADER_LENGTH + Math.max(mtu, MIN_SLOT_MTU) - 1) * 2;
        int blockSize = Math.max(PAGE, slotSize);
        int perBlock = blockSize / slotSize;
        int blocks = (frames + perBlock - 1) / perBlock;
        int slots = blocks * perBlock;
        Pointer cell = Memory.allocateDirect(Native.runtime(), 16);
        cell.putInt(0, TPACKET_V2);
        Native.setsockopt(fd, Native.SOL_PACKET, Native.PACKET_VERSION, "PACKET_VERSION", cell, 4, name);
        cell.putInt(0, blockSize); // struct tpacket_req: block size, block count, frame size, frame count
        cell.putInt(4, blocks);
        cell.putInt(8, slotSize);
        cell.putInt(12, slots);
        Native.setsockopt(fd, Native.SOL_PACKET, Native.PACKET_RX_RING, "PACKET_RX_RING", cell, 16, name);
        long size = (long) blockSize * blocks;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a receive ring of " + slots + " frames of " + slotSize + " bytes is over 2 GiB;"
                    + " ask for fewer frames");
        }
        Pointer address = Native.mmap(fd, size, name);
        return new ReceiveRing(address, size, slotSize, slots);
    }

    /** Slots in the ring: the frames the kernel queues for us before it drops. */
    int frames() {
        return slots;
    }

    /** Frames that arrived longer than their slot and were cut (an MTU over the ring's size). */
    long truncated() {
        return truncated;
    }

    /**
     * Copies up to {@code count} ready frames into {@code into[0..]} (each cleared, then its
     * position..limit the frame, cut to its capacity) and gives their slots back. Returns how
     * many; 0 when none is ready.
     */
    int take(ByteBuffer[] into, int count) {
        int n = 0;
        while (n < count) {
            int slot = head * slotSize;
            if (((int) INT.getAcquire(memory, slot) & TP_STATUS_USER) == 0) {
                break;
            }
            int length = memory.getInt(slot + TP_LEN);
            int captured = memory.getInt(slot + TP_SNAPLEN);
            if (captured < length) {
                truncated++;
            }
            int mac = Short.toUnsignedInt(memory.getShort(slot + TP_MAC));
            ByteBuffer b = into[n++];
            int copied = Math.min(captured, b.capacity());
            b.clear().put(0, memory, slot + mac, copied).limit(copied);
            INT.setRelease(memory, slot, TP_STATUS_KERNEL);
            head = head + 1 == slots ? 0 : head + 1;
        }
        return n;
    }

    /** Unmaps the ring; after the socket is closed. */
    void unmap() {
        Native.munmap(address, size);
    }

    @Override
    public String toString() {
        return "receive ring of " + slots + " x " + slotSize + " bytes";
    }
}
