package org.aoemigrate.aoe.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * Index, MAC address and MTU of one interface, asked through ioctls on our own socket.
 *
 * <p>Why not {@link java.net.NetworkInterface}: the JDK finds interfaces through their IP
 * addresses (SIOCGIFCONF for IPv4, /proc/net/if_inet6 for IPv6), so an interface with no
 * address is invisible to it, and storage interfaces often have none: an AoE NIC needs no IP,
 * a veth is unseen until its IPv6 link-local address appears, and one taken down loses it. The
 * ioctls also always answer for the socket's own network namespace. Not thread-safe: one
 * {@code struct ifreq} is reused.
 */
final class InterfaceQuery {

    private final int fd;
    private final String name;
    private final Pointer ifreq = Memory.allocateDirect(Native.runtime(), Structs.Ifreq.LAYOUT.size());

    InterfaceQuery(int fd, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= Structs.Ifreq.NAME_SIZE) {
            throw new IllegalArgumentException("interface name '" + name + "' is longer than 15 characters");
        }
        this.fd = fd;
        this.name = name;
        ifreq.put(0, bytes, 0, bytes.length);
        ifreq.putByte(bytes.length, (byte) 0);
    }

    int index() throws LinkSyscallException {
        Native.ioctl(fd, Native.SIOCGIFINDEX, "SIOCGIFINDEX", ifreq, name);
        return Structs.Ifreq.LAYOUT.intValue.get(ifreq);
    }

    int mtu() throws LinkSyscallException {
        Native.ioctl(fd, Native.SIOCGIFMTU, "SIOCGIFMTU", ifreq, name);
        return Structs.Ifreq.LAYOUT.intValue.get(ifreq);
    }

    /** The interface's MAC address; fails for one that is not Ethernet (loopback, tun). */
    MacAddress mac() throws IOException {
        Native.ioctl(fd, Native.SIOCGIFHWADDR, "SIOCGIFHWADDR", ifreq, name);
        Structs.Ifreq layout = Structs.Ifreq.LAYOUT;
        int family = layout.hardwareFamily.get(ifreq);
        if (family != Native.ARPHRD_ETHER) {
            throw new IOException("interface " + name + " is not Ethernet (hardware type " + family
                    + "); AoE needs an Ethernet interface");
        }
        byte[] six = new byte[6];
        ifreq.get(layout.hardwareAddressOffset, six, 0, 6);
        return MacAddress.of(six);
    }
}
