package org.aoemigrate.aoe.link;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * An Ethernet segment in memory, for unit tests: the links of an AoE target and its initiators
 * plug into one hub and exchange frames with no kernel, no root and no timing noise (the idea of
 * Netty's {@code EmbeddedChannel}, one layer lower).
 *
 * <p>It behaves like a switch whose ports all sit on one segment:
 *
 * <ul>
 *   <li>a broadcast or multicast destination reaches every other attached port; a unicast
 *       destination reaches the ports with that MAC; a port never receives its own frames;
 *   <li>ports receive only AoE frames (EtherType 0x88A2), as an AF_PACKET socket bound to that
 *       protocol does; a {@linkplain #tap tap} sees every frame on the segment;
 *   <li>a frame longer than the sender's MTU + 14 is dropped at the sender, and one longer than a
 *       receiver's MTU + 14 is dropped at that receiver, as NICs do (see
 *       {@link MemoryHubPort#oversizeDrops()});
 *   <li>each port has a bounded receive queue; a frame arriving at a full queue is dropped and
 *       counted in {@link MemoryHubPort#drops()};
 *   <li>a port can be {@linkplain MemoryHubPort#detach() detached} (cable pulled: it neither sends
 *       nor receives) and attached again.
 * </ul>
 *
 * <p>Frames are copied on send, so the sender may reuse its buffer at once. All methods are
 * thread-safe.
 */
public final class MemoryHub {

    /** Receive queue capacity of a new port, in frames. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    private final List<MemoryHubPort> ports = new CopyOnWriteArrayList<>();

    /** Plugs a new port into the segment; its name must be unique on this hub. */
    public MemoryHubPort port(String name, MacAddress mac, int mtu) {
        return plug(name, mac, mtu, false);
    }

    /**
     * Plugs a promiscuous port that receives a copy of every frame sent on the segment, whatever
     * its destination or EtherType (like tcpdump on a mirror port). It can send too; its own
     * frames are not echoed back to it. Its MTU is 65535 so that it never drops for size.
     */
    public MemoryHubPort tap(String name) {
        return plug(name, MacAddress.ZERO, 65535, true);
    }

    /** The ports plugged in and not closed, in plug order. */
    public List<MemoryHubPort> ports() {
        return List.copyOf(ports);
    }

    private synchronized MemoryHubPort plug(String name, MacAddress mac, int mtu, boolean promiscuous) {
        for (MemoryHubPort p : ports) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("hub port '" + name + "' exists already; give each port its own name");
            }
        }
        MemoryHubPort port = new MemoryHubPort(this, name, mac, mtu, promiscuous);
        ports.add(port);
        return port;
    }

    void unplug(MemoryHubPort port) {
        ports.remove(port);
    }

    /** Hands a copied frame from {@code sender} to every port that would see it on a real segment. */
    void deliver(MemoryHubPort sender, byte[] frame) {
        ByteBuffer view = ByteBuffer.wrap(frame);
        MacAddress destination = MacAddress.read(view, AoeConstants.DESTINATION);
        boolean aoe = (view.getShort(AoeConstants.ETHERTYPE) & 0xFFFF) == AoeConstants.ETHERTYPE_AOE;
        for (MemoryHubPort p : ports) {
            if (p == sender || !p.isAttached()) {
                continue;
            }
            boolean addressed = p.isPromiscuous()
                    || (aoe && (destination.isMulticast() || destination.equals(p.mac())));
            if (addressed) {
                p.enqueue(frame);
            }
        }
    }
}
