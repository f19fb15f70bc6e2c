package org.aoemigrate.aoe.link;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * One Ethernet port as the AoE layers see it: whole frames in and out, carrying only EtherType
 * 0x88A2. Two implementations: {@code PacketSocketLink} (AF_PACKET on a real interface) and the
 * in-memory {@code MemoryHub} used by unit tests.
 *
 * <p>Frames are whole Ethernet frames (destination MAC at offset 0) without the FCS. Buffers may
 * be heap or direct; direct ones avoid a copy on the AF_PACKET path.
 */
public interface EthernetLink extends Closeable {

    /** The interface name, e.g. {@code vT} (or the hub port's name). */
    String name();

    /** This port's own MAC address: the source of the frames it sends. */
    MacAddress mac();

    /** The current MTU; read again on each call, so a changed MTU is seen without a restart. */
    int mtu() throws IOException;

    /** Sends the frame between the buffer's position and limit; the position moves to the limit. */
    void send(ByteBuffer frame) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} for one frame and puts it into {@code into} (cleared first,
     * then flipped so that position..limit is the frame). Frames larger than the buffer are
     * truncated to its capacity. Returns false on timeout. A negative timeout waits forever, zero
     * polls.
     */
    boolean receive(ByteBuffer into, long timeoutMillis) throws IOException;

    /**
     * Receives up to {@code count} frames, waiting up to {@code timeoutMillis} for the first and
     * not at all for the rest: frame {@code i} goes into {@code into[i]} as {@link #receive} would
     * put it there. Returns how many arrived, 0 on timeout. A busy receiver takes what is queued
     * in one go; {@code PacketSocketLink} does it in one system call (recvmmsg).
     */
    default int receiveMany(ByteBuffer[] into, int count, long timeoutMillis) throws IOException {
        if (count < 1 || !receive(into[0], timeoutMillis)) {
            return 0;
        }
        int n = 1;
        while (n < count && receive(into[n], 0)) {
            n++;
        }
        return n;
    }

    /**
     * Sends {@code frames[0..count)} in order, each between its position and limit, as
     * {@link #send} would; {@code PacketSocketLink} sends a run of direct buffers in one system
     * call (sendmmsg).
     */
    default void sendMany(ByteBuffer[] frames, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            send(frames[i]);
        }
    }

    /** Frames the kernel (or the hub) dropped because the receive queue was full, since open. */
    long drops() throws IOException;
}
