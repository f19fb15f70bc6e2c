package org.aoemigrate.aoe.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The program {@link PacketSocketLinkIT} runs inside its namespaces, one on each end of a veth
 * pair. Every mode prints one {@code key=value} summary line (RESULT, SENT, TIMING, BENCH) that
 * the test parses; an IOException prints {@code ERROR <message>} and exits 3.
 *
 * <pre>
 * receive IFACE FILTER IDLE_MS [RECEIVE_FRAMES [HOLD_FILE|- [ring]]]
 *     FILTER: none | requests | responses | requests@SHELF.SLOT
 *     prints READY, waits for HOLD_FILE to exist if given (frames pile up in the kernel),
 *     then receives until IDLE_MS pass without a frame and checks each against the pattern;
 *     ring: through a receive ring of RECEIVE_FRAMES slots
 * send IFACE KIND:COUNT:LENGTH[:SHELF.SLOT] | wait:FILE ...
 *     KIND: request | response | foreign (EtherType 0x88B5); destination broadcast;
 *     wait:FILE prints WAITING and pauses until FILE exists
 * receive-threads IFACE THREADS IDLE_MS
 *     THREADS threads share one link; also counts distinct tags, so no frame is seen twice
 * send-threads IFACE THREADS COUNT LENGTH
 *     THREADS threads share one link, each sending COUNT requests with tags of its own
 * timing IFACE      receive timeouts, zero-timeout polls, close waking a blocked receiver
 * mtu IFACE HOLD_FILE   prints the MTU, waits for HOLD_FILE, prints it again
 * bench IFACE N     per-call cost of send and of an empty receive
 * send-many IFACE COUNT
 *     sends COUNT requests with sendMany in batches of up to 20, lengths 60..1514, every
 *     seventh frame from a heap buffer (which leaves the sendmmsg path)
 * receive-many IFACE IDLE_MS HOLD_FILE [ring]
 *     like receive, but waits for HOLD_FILE first (frames pile up) and takes them with
 *     receiveMany into 16 direct buffers; also counts distinct tags, frames that follow their
 *     predecessor's tag, and the largest batch
 * </pre>
 *
 * Frames carry their index in the AoE tag field and a payload derived from it, so the receiver
 * can tell an intact frame from a damaged one. Even-numbered frames go through heap buffers,
 * odd ones through direct buffers, on both ends, so both paths are exercised.
 */
public final class LinkProbe {

    static final int FOREIGN_ETHERTYPE = 0x88B5;
    private static final int TAG = 20;
    private static final int PAYLOAD = 24;

    private LinkProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "receive" -> receive(args);
                case "send" -> send(args);
                case "receive-threads" -> receiveThreads(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "send-threads" -> sendThreads(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
                case "timing" -> timing(args[1]);
                case "mtu" -> mtu(args[1], Path.of(args[2]));
                case "bench" -> bench(args[1], Integer.parseInt(args[2]));
                case "send-many" -> sendMany(args[1], Integer.parseInt(args[2]));
                case "receive-many" -> receiveMany(args[1], Long.parseLong(args[2]), Path.of(args[3]),
                        args.length > 4 && args[4].equals("ring"));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (IOException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(3);
        }
    }

    static byte payloadByte(int tag, int index) {
        return (byte) (tag * 31 + index * 7);
    }

    private static void receive(String[] args) throws Exception {
        String iface = args[1];
        AoeFilter filter = filter(args[2]);
        long idleMillis = Long.parseLong(args[3]);
        int receiveFrames = args.length > 4 ? Integer.parseInt(args[4]) : PacketSocketOptions.DEFAULT_RECEIVE_FRAMES;
        Path hold = args.length > 5 && !args[5].equals("-") ? Path.of(args[5]) : null;
        boolean ring = args.length > 6 && args[6].equals("ring");

        PacketSocketOptions options = PacketSocketOptions.forInterface(iface).withReceiveFrames(receiveFrames).withFilter(filter)
                .withReceiveRing(ring);
        try (PacketSocketLink link = PacketSocketLink.open(options)) {
            System.out.println("READY rcvbuf=" + link.receiveBufferBytes() + " rcvframes=" + link.receiveBufferFrames()
                    + " ignoresOutgoing=" + link.ignoresOutgoing());
            if (hold != null) {
                awaitFile(hold);
            }
            MacAddress lastSource = null;
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String key : List.of("received", "intact", "corrupt", "requests", "responses", "maxLength")) {
                counts.put(key, 0L);
            }
            ByteBuffer heap = ByteBuffer.allocate(65552);
            ByteBuffer direct = ByteBuffer.allocateDirect(65552);
            for (long n = 0; ; n++) {
                ByteBuffer into = n % 2 == 0 ? heap : direct;
                if (!link.receive(into, idleMillis)) {
                    break;
                }
                counts.merge("received", 1L, Long::sum);
                counts.merge(intact(into) ? "intact" : "corrupt", 1L, Long::sum);
                counts.merge((into.get(14) & 0x08) != 0 ? "responses" : "requests", 1L, Long::sum);
                counts.merge("maxLength", (long) into.remaining(), Math::max);
                lastSource = MacAddress.read(into, 6);
            }
            counts.put("drops", link.drops());
            counts.put("kernelPackets", link.kernelPackets());
            counts.put("linkDownEvents", link.linkDownEvents());
            System.out.println("RESULT " + format(counts) + " source=" + lastSource);
        }
    }

    private static void receiveThreads(String iface, int threads, long idleMillis) throws Exception {
        PacketSocketOptions options = PacketSocketOptions.forInterface(iface).withReceiveFrames(4096)
                .withFilter(AoeFilter.requests());
        try (PacketSocketLink link = PacketSocketLink.open(options)) {
            System.out.println("READY rcvframes=" + link.receiveBufferFrames());
            Set<Integer> tags = ConcurrentHashMap.newKeySet();
            AtomicLong received = new AtomicLong();
            AtomicLong intact = new AtomicLong();
            inParallel(threads, t -> {
                ByteBuffer into = t % 2 == 1 ? ByteBuffer.allocateDirect(2000) : ByteBuffer.allocate(2000);
                while (link.receive(into, idleMillis)) {
                    received.incrementAndGet();
                    intact.addAndGet(intact(into) ? 1 : 0);
                    tags.add(into.getInt(TAG));
                }
            });
            System.out.println("RESULT received=" + received + " intact=" + intact + " distinct=" + tags.size()
                    + " drops=" + link.drops());
        }
    }

    private static void sendThreads(String iface, int threads, int count, int length) throws Exception {
        try (PacketSocketLink link = PacketSocketLink.open(iface)) {
            inParallel(threads, t -> {
                ByteBuffer heap = ByteBuffer.allocate(length);
                ByteBuffer direct = ByteBuffer.allocateDirect(length);
                for (int tag = t * count; tag < (t + 1) * count; tag++) {
                    ByteBuffer frame = tag % 2 == 0 ? heap : direct;
                    fill(frame.clear(), "request", link.mac(), tag, 1, 0);
                    link.send(frame);
                }
            });
            System.out.println("SENT frames=" + threads * count + " sendDrops=" + link.sendDrops());
        }
    }

    private static void sendMany(String iface, int count) throws Exception {
        try (PacketSocketLink link = PacketSocketLink.open(iface)) {
            ByteBuffer[] batch = new ByteBuffer[20];
            int tag = 0;
            while (tag < count) {
                int n = Math.min(batch.length, count - tag);
                for (int i = 0; i < n; i++, tag++) {
                    int length = 60 + tag * 37 % (1514 - 60 + 1);
                    batch[i] = tag % 7 == 3 ? ByteBuffer.allocate(length) : ByteBuffer.allocateDirect(length);
                    fill(batch[i], "request", link.mac(), tag, 1, 0);
                }
                link.sendMany(batch, n);
                for (int i = 0; i < n; i++) {
                    if (batch[i].hasRemaining()) {
                        throw new IllegalStateException("sendMany left frame " + i + " of a batch unsent: " + batch[i]);
                    }
                }
            }
            System.out.println("SENT frames=" + count + " sendDrops=" + link.sendDrops());
        }
    }

    private static void receiveMany(String iface, long idleMillis, Path hold, boolean ring) throws Exception {
        PacketSocketOptions options = PacketSocketOptions.forInterface(iface).withReceiveFrames(4096)
                .withFilter(AoeFilter.requests()).withReceiveRing(ring);
        try (PacketSocketLink link = PacketSocketLink.open(options)) {
            System.out.println("READY rcvframes=" + link.receiveBufferFrames());
            awaitFile(hold);
            ByteBuffer[] into = new ByteBuffer[16];
            for (int i = 0; i < into.length; i++) {
                into[i] = ByteBuffer.allocateDirect(1514 + i);
            }
            Set<Integer> tags = new HashSet<>();
            long received = 0;
            long inOrder = 0;
            int nextTag = 0;
            long intact = 0;
            long largestBatch = 0;
            int n;
            while ((n = link.receiveMany(into, into.length, idleMillis)) > 0) {
                largestBatch = Math.max(largestBatch, n);
                for (int i = 0; i < n; i++) {
                    received++;
                    intact += intact(into[i]) ? 1 : 0;
                    int tag = into[i].getInt(TAG);
                    tags.add(tag);
                    inOrder += tag == nextTag ? 1 : 0;
                    nextTag = tag + 1;
                }
            }
            System.out.println("RESULT received=" + received + " intact=" + intact + " distinct=" + tags.size()
                    + " inOrder=" + inOrder + " largestBatch=" + largestBatch + " drops=" + link.drops());
        }
    }

    private interface Worker {
        void run(int index) throws IOException;
    }

    /** Runs {@code threads} workers at once and waits for all; the first failure is rethrown. */
    private static void inParallel(int threads, Worker worker) throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            CompletableFuture<Void> f = new CompletableFuture<>();
            new Thread(() -> {
                try {
                    worker.run(index);
                    f.complete(null);
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }, "probe-" + t).start();
            done.add(f);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
    }

    private static void awaitFile(Path file) {
        while (!Files.exists(file)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted waiting for " + file, e);
            }
        }
    }

    private static boolean intact(ByteBuffer frame) {
        if (frame.remaining() < PAYLOAD || frame.getShort(12) != (short) AoeConstants.ETHERTYPE_AOE) {
            return false;
        }
        int tag = frame.getInt(TAG);
        for (int i = PAYLOAD; i < frame.limit(); i++) {
            if (frame.get(i) != payloadByte(tag, i)) {
                return false;
            }
        }
        return true;
    }

    private static AoeFilter filter(String spec) {
        String[] parts = spec.split("@");
        AoeFilter f = switch (parts[0]) {
            case "none" -> null;
            case "requests" -> AoeFilter.requests();
            case "responses" -> AoeFilter.responses();
            default -> throw new IllegalArgumentException("filter " + spec);
        };
        if (parts.length > 1) {
            String[] address = parts[1].split("\\.");
            f = f.addressedTo(Integer.parseInt(address[0]), Integer.parseInt(address[1]));
        }
        return f;
    }

    private static void send(String[] args) throws IOException {
        try (PacketSocketLink link = PacketSocketLink.open(args[1])) {
            ByteBuffer heap = ByteBuffer.allocate(65552);
            ByteBuffer direct = ByteBuffer.allocateDirect(65552);
            int tag = 0;
            for (int a = 2; a < args.length; a++) {
                String[] spec = args[a].split(":");
                if (spec[0].equals("wait")) {
                    System.out.println("WAITING for " + spec[1]);
                    awaitFile(Path.of(spec[1]));
                    continue;
                }
                int count = Integer.parseInt(spec[1]);
                int length = Integer.parseInt(spec[2]);
                String[] address = spec.length > 3 ? spec[3].split("\\.") : new String[] {"1", "0"};
                for (int i = 0; i < count; i++, tag++) {
                    ByteBuffer frame = tag % 2 == 0 ? heap : direct;
                    fill(frame.clear().limit(length), spec[0], link.mac(), tag,
                            Integer.parseInt(address[0]), Integer.parseInt(address[1]));
                    link.send(frame);
                    if (frame.hasRemaining()) {
                        throw new IllegalStateException("send left the position before the limit");
                    }
                }
            }
            int echoes = 0;
            while (link.receive(heap, 300)) {
                echoes++;
            }
            System.out.println("SENT frames=" + tag + " sendDrops=" + link.sendDrops() + " echoes=" + echoes
                    + " mac=" + link.mac());
        }
    }

    private static void fill(ByteBuffer frame, String kind, MacAddress source, int tag, int shelf, int slot) {
        MacAddress.BROADCAST.write(frame, 0);
        source.write(frame, 6);
        frame.putShort(12, (short) (kind.equals("foreign") ? FOREIGN_ETHERTYPE : AoeConstants.ETHERTYPE_AOE));
        frame.put(14, (byte) (kind.equals("response") ? 0x18 : 0x10));
        frame.put(15, (byte) 0);
        frame.putShort(16, (short) shelf);
        frame.put(18, (byte) slot);
        frame.put(19, (byte) 1);
        frame.putInt(TAG, tag);
        for (int i = PAYLOAD; i < frame.limit(); i++) {
            frame.put(i, payloadByte(tag, i));
        }
    }

    private static void timing(String iface) throws Exception {
        Map<String, Long> result = new LinkedHashMap<>();
        try (PacketSocketLink link = PacketSocketLink.open(iface)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(2000);
            long t0 = System.nanoTime();
            boolean got = link.receive(buf, 0);
            result.put("pollZeroMicros", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
            result.put("pollZeroGot", got ? 1L : 0L);
            t0 = System.nanoTime();
            got = link.receive(buf, 250);
            result.put("timeout250Millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            result.put("timeout250Got", got ? 1L : 0L);
        }
        PacketSocketLink link = PacketSocketLink.open(iface);
        long start = System.nanoTime();
        CompletableFuture<String> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return "returned " + link.receive(ByteBuffer.allocate(2000), -1);
            } catch (AsynchronousCloseException e) {
                return "AsynchronousCloseException";
            } catch (IOException e) {
                return e.toString();
            }
        });
        Thread.sleep(300);
        link.close();
        String outcome = blocked.get(5, TimeUnit.SECONDS);
        result.put("closeWokeAfterMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        System.out.println("TIMING " + format(result) + " closeOutcome=" + outcome);
    }

    private static void mtu(String iface, Path hold) throws Exception {
        try (PacketSocketLink link = PacketSocketLink.open(iface)) {
            System.out.println("MTU before=" + link.mtu());
            awaitFile(hold);
            System.out.println("MTU after=" + link.mtu());
        }
    }

    /** Warms up, then times each call over {@code n} calls; reports nanoseconds per call. */
    private static void bench(String iface, int n) throws IOException {
        try (PacketSocketLink link = PacketSocketLink.open(PacketSocketOptions.forInterface(iface).withSendFrames(1024))) {
            ByteBuffer direct = ByteBuffer.allocateDirect(60);
            ByteBuffer heap = ByteBuffer.allocate(60);
            fill(direct, "request", link.mac(), 0, 1, 0);
            fill(heap, "request", link.mac(), 0, 1, 0);
            Map<String, Long> result = new LinkedHashMap<>();
            for (int round = 0; round < 2; round++) {
                result.put("sendDirectNanos", perCall(n, () -> link.send(direct.clear())));
                result.put("sendHeapNanos", perCall(n, () -> link.send(heap.clear())));
                result.put("emptyReceiveNanos", perCall(n, () -> link.receive(direct, 0)));
            }
            result.put("sendDrops", link.sendDrops());
            System.out.println("BENCH " + format(result));
        }
    }

    private interface Call {
        void run() throws IOException;
    }

    private static long perCall(int n, Call call) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            call.run();
        }
        return (System.nanoTime() - t0) / n;
    }

    private static String format(Map<String, Long> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /** Parses a summary line ({@code WORD k=v k=v ...}) into its numeric values. */
    static Map<String, Long> parse(String line) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String part : line.strip().split(" ")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }
}
