package org.aoemigrate.aoe.link;

import jnr.ffi.Runtime;
import jnr.ffi.StructLayout;

/**
 * The kernel structs a packet socket needs, as shared jnr-ffi layouts (the jnr-posix idiom): one
 * layout per struct, built once, reading and writing memory that each socket allocates once.
 * Sizes and offsets are those of Linux x86_64 and aarch64.
 */
final class Structs {

    private Structs() {}

    /** {@code struct sockaddr_ll} (linux/if_packet.h), 20 bytes. */
    static final class SockAddrLl extends StructLayout {
        static final SockAddrLl LAYOUT = new SockAddrLl(Native.runtime());

        final Unsigned16 family = new Unsigned16();
        /** Network byte order, unlike every other field. */
        final Unsigned16 protocol = new Unsigned16();
        final Signed32 ifindex = new Signed32();
        final Unsigned16 hatype = new Unsigned16();
        final Unsigned8 pkttype = new Unsigned8();
        final Unsigned8 halen = new Unsigned8();
        final Padding addr = new Padding(jnr.ffi.NativeType.UCHAR, 8);

        private SockAddrLl(Runtime runtime) {
            super(runtime);
        }
    }

    /**
     * {@code struct ifreq} (net/if.h), 40 bytes: the interface name, then a union read here as
     * an int (ifr_ifindex, ifr_mtu) or as a sockaddr (ifr_hwaddr: family, then the address).
     */
    static final class Ifreq extends StructLayout {
        static final Ifreq LAYOUT = new Ifreq(Native.runtime());
        static final int NAME_SIZE = 16;

        final Padding name = new Padding(jnr.ffi.NativeType.UCHAR, NAME_SIZE);
        final Signed32 intValue = new Signed32();
        final Padding rest = new Padding(jnr.ffi.NativeType.UCHAR, 20);
        final Unsigned16 hardwareFamily = new Unsigned16(at(NAME_SIZE));
        /** ifr_hwaddr.sa_data: the MAC address's six bytes start here. */
        final int hardwareAddressOffset = NAME_SIZE + 2;

        private Ifreq(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code struct tpacket_stats} (linux/if_packet.h): counters since the last read, which resets them. */
    static final class TpacketStats extends StructLayout {
        static final TpacketStats LAYOUT = new TpacketStats(Native.runtime());

        /** Frames that passed the filter, including the dropped ones. */
        final Unsigned32 packets = new Unsigned32();
        /** Frames that passed the filter but found the receive buffer full. */
        final Unsigned32 drops = new Unsigned32();

        private TpacketStats(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code struct sock_fprog} (linux/filter.h): a classic-BPF program for SO_ATTACH_FILTER. */
    static final class SockFprog extends StructLayout {
        static final SockFprog LAYOUT = new SockFprog(Native.runtime());

        final Unsigned16 length = new Unsigned16();
        final Pointer filter = new Pointer();

        private SockFprog(Runtime runtime) {
            super(runtime);
        }
    }

    /** {@code struct pollfd} (poll.h), 8 bytes; sockets keep small arrays of them. */
    static final class PollFd extends StructLayout {
        static final PollFd LAYOUT = new PollFd(Native.runtime());

        final Signed32 fd = new Signed32();
        final Signed16 events = new Signed16();
        final Signed16 revents = new Signed16();

        private PollFd(Runtime runtime) {
            super(runtime);
        }
    }
}
