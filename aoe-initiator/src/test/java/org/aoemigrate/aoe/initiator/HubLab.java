package org.aoemigrate.aoe.initiator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.link.MemoryHubPort;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The unit-test rig: in-memory Ethernet segments ({@link MemoryHub}s), real {@link TargetServer}s
 * on them serving disk images from a temporary directory, and initiator ports. Everything it
 * made is stopped and closed by {@link #close()}.
 */
final class HubLab implements AutoCloseable {

    /** Quick enough for unit tests, Linux-like otherwise. */
    static final InitiatorOptions FAST = InitiatorOptions.DEFAULT
            .withDiscoveryWait(Duration.ofMillis(400))
            .withSilenceTimeout(Duration.ofMillis(300))
            .withRetransmit(RetransmitPolicy.DEFAULT
                    .withDeadline(Duration.ofSeconds(3))
                    .withTimeouts(Duration.ofMillis(20), Duration.ofMillis(5), Duration.ofMillis(200))
                    .withMinWriteTimeout(Duration.ofMillis(20))
                    .withPathDown(Duration.ofSeconds(1), 4, Duration.ofMillis(100)));

    private record Interface(String segment, MacAddress mac, int mtu) {
    }

    private final Path dir;
    private final Map<String, MemoryHub> segments = new HashMap<>();
    private final Map<String, Interface> targetInterfaces = new HashMap<>();
    private final Map<String, MemoryHubPort> targetPorts = new HashMap<>();
    private final List<TargetServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private int nextTargetMac = 1;
    private int nextInitiatorMac = 1;

    HubLab(Path dir) {
        this.dir = dir;
    }

    MemoryHub segment(String name) {
        return segments.computeIfAbsent(name, n -> new MemoryHub());
    }

    /** Declares a target interface on a segment; a {@link #serve}d spec may name it. */
    MacAddress targetInterface(String name, String segment, int mtu) {
        MacAddress mac = new MacAddress(0x0200_0000_0100L + nextTargetMac++);
        targetInterfaces.put(name, new Interface(segment, mac, mtu));
        return mac;
    }

    /** The hub port a running target opened for interface {@code name}. */
    MemoryHubPort targetPort(String name) {
        return targetPorts.get(name);
    }

    /** An initiator port on a segment. */
    MemoryHubPort initiatorPort(String name, String segment, int mtu) {
        MemoryHubPort port = segment(segment).port(name, new MacAddress(0x0200_0000_0200L + nextInitiatorMac++), mtu);
        closeables.add(port);
        return port;
    }

    /**
     * An export of a new image {@code d} ({@link #disk}) at {@code address}, on one target
     * interface (MTU 1500) on each of {@code segments}, named {@code t0}, {@code t1}, ... in their
     * order: a path to the export from each segment. Add to it, then {@link #serve} it.
     */
    ExportSpec.Builder export(ExportAddress address, long sectors, long seed, String... segments) throws IOException {
        String[] interfaces = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            interfaces[i] = "t" + i;
            targetInterface(interfaces[i], segments[i], 1500);
        }
        return ExportSpec.builder(address, disk("d", sectors, seed), interfaces);
    }

    /** A disk image of {@code sectors} random sectors (seeded, so failures reproduce). */
    Path disk(String name, long sectors, long seed) throws IOException {
        Path file = dir.resolve(name);
        byte[] data = new byte[Math.toIntExact(sectors * 512)];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        return file;
    }

    /** Starts a real target serving the specs (no duplicate check: the lab knows its segments). */
    TargetServer serve(ExportSpec... specs) throws IOException {
        TargetServer server = new TargetServer(List.of(specs), ExportStateStore.inMemory(), this::open, Duration.ZERO);
        server.start();
        servers.add(server);
        return server;
    }

    private LinkOpener.Opened open(String name, int queueFrames) {
        Interface i = targetInterfaces.get(name);
        if (i == null) {
            throw new IllegalArgumentException("the lab has no target interface " + name + "; declare it first");
        }
        MemoryHubPort port = segment(i.segment()).port(name, i.mac(), i.mtu());
        port.setQueueCapacity(Math.max(queueFrames, 1));
        targetPorts.put(name, port);
        return new LinkOpener.Opened(port, Math.max(queueFrames, 1));
    }

    AoeInitiator initiator(InitiatorOptions options, EthernetLink... links) {
        AoeInitiator initiator = AoeInitiator.over(List.of(links), options);
        closeables.add(0, initiator);
        return initiator;
    }

    /** {@code length} bytes of the image at sector {@code lba}, as the target's file holds them now. */
    static byte[] fileBytes(Path file, long lba, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, lba * 512 + buf.position()) < 0) {
                    throw new IOException("image " + file + " ends before sector " + lba + " + " + length + " bytes");
                }
            }
        }
        return buf.array();
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        for (TargetServer s : servers) {
            s.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
