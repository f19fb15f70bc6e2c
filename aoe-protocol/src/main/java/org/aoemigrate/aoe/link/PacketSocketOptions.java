package org.aoemigrate.aoe.link;

import java.util.Objects;

/**
 * How to open a {@link PacketSocketLink}. Start from {@link #forInterface} and change what
 * differs:
 *
 * <pre>{@code
 * PacketSocketLink.open(PacketSocketOptions.forInterface("vT")
 *         .withReceiveFrames(1024)
 *         .withFilter(AoeFilter.requests().addressedTo(1, 0)));
 * }</pre>
 *
 * @param interfaceName the interface to bind, in the caller's network namespace
 * @param receiveFrames how many full-MTU frames the kernel may queue for us before it drops
 *     (vblade's {@code -b}); the buffer is sized from this and the MTU at open
 * @param sendFrames how many full-MTU frames may wait in the send buffer before send blocks
 * @param filter the frames the kernel lets through, or null for every AoE frame
 * @param receiveRing whether frames arrive through a ring shared with the kernel
 *     ({@code PACKET_RX_RING}) of {@code receiveFrames} slots instead of the socket's queue: a busy
 *     receiver then takes queued frames without a system call, at the cost of a fixed
 *     16 KiB of memory per slot (enough for MTU 9000)
 */
public record PacketSocketOptions(String interfaceName, int receiveFrames, int sendFrames, AoeFilter filter,
        boolean receiveRing) {

    public static final int DEFAULT_RECEIVE_FRAMES = 256;
    public static final int DEFAULT_SEND_FRAMES = 64;

    public PacketSocketOptions {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isEmpty() || interfaceName.length() > 15 || interfaceName.contains("/")) {
            throw new IllegalArgumentException("'" + interfaceName + "' is not an interface name (1-15 characters, no '/')");
        }
        if (receiveFrames < 1 || sendFrames < 1) {
            throw new IllegalArgumentException("buffers must hold at least one frame: receive "
                    + receiveFrames + ", send " + sendFrames);
        }
    }

    /** Options that receive through the socket's queue, as before rings existed. */
    public PacketSocketOptions(String interfaceName, int receiveFrames, int sendFrames, AoeFilter filter) {
        this(interfaceName, receiveFrames, sendFrames, filter, false);
    }

    /** Defaults: {@value #DEFAULT_RECEIVE_FRAMES} frames in, {@value #DEFAULT_SEND_FRAMES} out, no filter, no ring. */
    public static PacketSocketOptions forInterface(String interfaceName) {
        return new PacketSocketOptions(interfaceName, DEFAULT_RECEIVE_FRAMES, DEFAULT_SEND_FRAMES, null, false);
    }

    public PacketSocketOptions withReceiveFrames(int frames) {
        return new PacketSocketOptions(interfaceName, frames, sendFrames, filter, receiveRing);
    }

    public PacketSocketOptions withSendFrames(int frames) {
        return new PacketSocketOptions(interfaceName, receiveFrames, frames, filter, receiveRing);
    }

    public PacketSocketOptions withFilter(AoeFilter newFilter) {
        return new PacketSocketOptions(interfaceName, receiveFrames, sendFrames, newFilter, receiveRing);
    }

    public PacketSocketOptions withReceiveRing(boolean ring) {
        return new PacketSocketOptions(interfaceName, receiveFrames, sendFrames, filter, ring);
    }
}
