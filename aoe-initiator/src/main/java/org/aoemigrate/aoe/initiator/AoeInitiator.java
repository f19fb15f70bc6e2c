package org.aoemigrate.aoe.initiator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.aoemigrate.aoe.link.AoeFilter;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.link.PacketSocketLink;
import org.aoemigrate.aoe.link.PacketSocketOptions;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A userspace AoE initiator over one or more Ethernet interfaces: finds targets
 * ({@link #discover}) and opens devices ({@link #open}) to read, write and manage them.
 *
 * <p>Its tags have bit 31 set, which the Linux aoe driver ignores, so it can run on a host
 * that also uses the kernel driver. One thread per interface receives answers; one timer
 * thread resends and enforces deadlines. Close it to stop them.
 *
 * <pre>{@code
 * try (AoeInitiator aoe = AoeInitiator.open(List.of("eth1", "eth2"), InitiatorOptions.DEFAULT);
 *      AoeDevice disk = aoe.open(AoeAddress.parse("e1.0"))) {
 *     ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
 *     disk.read(0, buf);
 * }
 * }</pre>
 */
public final class AoeInitiator implements AutoCloseable {

    private final InitiatorOptions options;
    private final TagTable tags = new TagTable();
    private final List<LinkPort> ports;
    private final boolean ownsLinks;
    private final List<DeviceEngine> devices = new CopyOnWriteArrayList<>();
    private final Thread timer;
    private final long tickNanos;
    private volatile boolean closed;
    private volatile long timerFailures;

    /** {@code ownsLinks}: the initiator closes the links when it closes (package-private for tests over hub ports). */
    AoeInitiator(List<? extends EthernetLink> links, InitiatorOptions options, boolean ownsLinks) {
        if (links.isEmpty()) {
            throw new IllegalArgumentException("an initiator needs at least one interface");
        }
        if (links.stream().map(EthernetLink::name).distinct().count() != links.size()) {
            throw new IllegalArgumentException("interfaces " + links.stream().map(EthernetLink::name).toList()
                    + " name one twice; give each once");
        }
        this.options = options;
        this.ownsLinks = ownsLinks;
        List<LinkPort> list = new ArrayList<>();
        for (EthernetLink link : links) {
            list.add(new LinkPort(link, tags));
        }
        this.ports = List.copyOf(list);
        // a quarter of the smallest timeout keeps resends within 25 % of when they are due
        this.tickNanos = Math.max(1_000_000L, Math.min(10_000_000L, options.retransmit().minTimeout().toNanos() / 4));
        this.timer = new Thread(this::timerLoop, "aoe-initiator-timer");
        timer.setDaemon(true);
        ports.forEach(LinkPort::start);
        timer.start();
    }

    /**
     * An initiator over links the caller opened (e.g. {@code MemoryHub} ports in tests). The
     * caller keeps them and closes them after the initiator.
     */
    public static AoeInitiator over(List<? extends EthernetLink> links, InitiatorOptions options) {
        return new AoeInitiator(links, options, false);
    }

    /**
     * An initiator on these interfaces, each opened as an AF_PACKET socket (needs CAP_NET_RAW)
     * with a kernel filter that passes only AoE responses, so other initiators' requests and the
     * target's own traffic never wake us. The initiator closes the sockets when it closes.
     */
    public static AoeInitiator open(List<String> interfaceNames, InitiatorOptions options) throws IOException {
        List<EthernetLink> links = new ArrayList<>();
        try {
            for (String name : interfaceNames) {
                links.add(PacketSocketLink.open(
                        PacketSocketOptions.forInterface(name).withFilter(AoeFilter.responses())));
            }
        } catch (IOException | RuntimeException e) {
            for (EthernetLink l : links) {
                try {
                    l.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new AoeInitiator(links, options, true);
    }

    public InitiatorOptions options() {
        return options;
    }

    /** The interfaces, in the order given. */
    public List<String> linkNames() {
        return ports.stream().map(LinkPort::name).toList();
    }

    /** Every device that answers on any interface within {@link InitiatorOptions#discoveryWait()}. */
    public List<DiscoveredTarget> discover() throws IOException {
        return discover(AoeAddress.BROADCAST, options.discoveryWait());
    }

    /**
     * The devices matching {@code query} (which may use the broadcast shelf 65535 or slot 255)
     * that answer within {@code wait}, sorted by address.
     */
    public List<DiscoveredTarget> discover(AoeAddress query, Duration wait) throws IOException {
        ensureOpen();
        return new DiscoveryRound(tags, ports, query).run(wait);
    }

    /**
     * As {@link #discover(AoeAddress, Duration)}, but the round ends {@code grace} after the
     * answers so far first satisfy {@code enough} (at the latest, after {@code wait}).
     */
    public List<DiscoveredTarget> discover(AoeAddress query, Duration wait, Predicate<List<DiscoveredTarget>> enough,
            Duration grace) throws IOException {
        ensureOpen();
        return new DiscoveryRound(tags, ports, query).run(wait, enough, grace);
    }

    /** The device at {@code address}, if it answers within {@link InitiatorOptions#discoveryWait()}. */
    public Optional<DiscoveredTarget> discover(AoeAddress address) throws IOException {
        return discover(address, options.discoveryWait()).stream().findFirst();
    }

    /** Discovers the device at {@code address} and opens it. */
    public AoeDevice open(AoeAddress address) throws IOException {
        DiscoveredTarget target = discover(address).orElseThrow(() -> new AoeException(address
                + " did not answer Query Config on " + String.join(", ", linkNames()) + " within "
                + options.discoveryWait().toMillis() + " ms; check the address, that the target runs, "
                + "that its mask list admits this host's MACs, and the cabling"));
        return open(target);
    }

    /**
     * Opens a discovered device over all its paths and asks it for its identity (so
     * {@link AoeDevice#identity()} is known).
     */
    public AoeDevice open(DiscoveredTarget target) throws IOException {
        ensureOpen();
        Map<MacAddress, Integer> pathsPerPort = new HashMap<>();
        target.paths().forEach(p -> pathsPerPort.merge(p.target(), 1, Integer::sum));
        long now = System.nanoTime();
        List<DevicePath> paths = new ArrayList<>();
        for (TargetPath tp : target.paths()) {
            LinkPort port = port(tp.link());
            // a target port queues bufferCount requests in all; several local interfaces reaching
            // the same port share them, or the port would drop what exceeds its buffers
            int limit = Math.min(tp.bufferCount(), options.retransmit().maxOutstanding()) / pathsPerPort.get(tp.target());
            paths.add(new DevicePath(paths.size(), port, tp.target(), tp.sectorsPerFrame(), tp.bufferCount(), Math.max(1, limit),
                    options.retransmit(), now));
        }
        if (paths.size() > Long.SIZE) {
            throw new AoeException(target.address() + " has " + paths.size() + " paths; at most " + Long.SIZE
                    + " are supported; restrict the interfaces");
        }
        int sectorsPerFrame = target.sectorsPerFrame();
        if (sectorsPerFrame < 1) {
            throw new AoeException(target.address() + ": a path cannot carry one 512-byte sector per frame (that "
                    + "needs an MTU of at least " + (AoeConstants.ATA_HEADER_LENGTH + AoeConstants.SECTOR_SIZE)
                    + " here and at the target); raise the MTU of " + String.join(", ", target.links()));
        }
        DeviceEngine[] self = new DeviceEngine[1];
        DeviceEngine engine = new DeviceEngine(target.address(), paths, sectorsPerFrame, options.retransmit(), tags,
                () -> devices.remove(self[0]));
        self[0] = engine;
        devices.add(engine);
        AoeDevice device = new AoeDevice(engine, options);
        try {
            device.identify();
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
        return device;
    }

    private LinkPort port(String name) throws AoeException {
        for (LinkPort p : ports) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AoeException("interface " + name + " is not one of this initiator's (" + String.join(", ",
                linkNames()) + "); discover with this initiator, or open one on that interface");
    }

    /** Receives that failed on each interface and were retried (e.g. while it was gone), by name. */
    public Map<String, Long> receiveErrors() {
        Map<String, Long> errors = new LinkedHashMap<>();
        ports.forEach(p -> errors.put(p.name(), p.receiveErrors()));
        return errors;
    }

    /** Replies whose tag matched nothing in flight (late answers to abandoned requests, strays). */
    public long unmatchedReplies() {
        return ports.stream().mapToLong(LinkPort::unmatchedReplies).sum();
    }

    /**
     * Bugs caught on the receive and timer threads (which keep running for the other devices).
     * Zero unless something is wrong in this library; tests assert it.
     */
    public long internalFailures() {
        return timerFailures + ports.stream().mapToLong(LinkPort::handlerFailures).sum();
    }

    private void ensureOpen() throws AoeException {
        if (closed) {
            throw new AoeException("this AoE initiator is closed");
        }
    }

    private void timerLoop() {
        while (!closed) {
            long now = System.nanoTime();
            for (DeviceEngine d : devices) {
                try {
                    d.tick(now);
                } catch (RuntimeException e) {
                    // a bug in one device must not stop the deadlines of all the others
                    timerFailures++;
                }
            }
            LockSupport.parkNanos(tickNanos);
        }
    }

    /** Closes every open device (failing what is in flight), stops the threads, closes owned links. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (DeviceEngine d : devices) {
            d.close();
        }
        LockSupport.unpark(timer); // it sees closed at once instead of after its tick
        try {
            timer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ports.forEach(LinkPort::stop);
        // closing a link wakes a receive blocked in it (a packet socket through its close eventfd, a hub
        // port through its condition), so links we own are closed before their threads are awaited and
        // close takes milliseconds; a caller's links stay open, and their threads end after their
        // current wait (up to a poll interval, all of them at once)
        IOException failure = null;
        if (ownsLinks) {
            for (LinkPort p : ports) {
                try {
                    p.closeLink();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        ports.forEach(LinkPort::close);
        if (failure != null) {
            throw failure;
        }
    }
}
