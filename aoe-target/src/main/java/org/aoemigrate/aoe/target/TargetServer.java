package org.aoemigrate.aoe.target;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.aoemigrate.aoe.link.EthernetLink;
import org.aoemigrate.aoe.wire.AoeCodec;
import org.aoemigrate.aoe.wire.AoeCommand;
import org.aoemigrate.aoe.wire.AoeHeader;
import org.aoemigrate.aoe.wire.AoeProtocolException;
import org.aoemigrate.aoe.wire.ConfigMessage;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * An AoE target serving many exports on many interfaces from one process.
 *
 * <p>{@link #start} opens every export and interface, refuses to start if another target
 * already answers for one of the addresses (see {@link DuplicateTargetException}), starts one
 * receive thread per interface, and announces each export on each of its interfaces with a
 * Query Config reply (broadcast, or unicast to each MAC of a non-empty mask list, as vblade
 * does; but with version 1, which vblade leaves at 0). An export on several interfaces answers
 * on each (multipath). {@link #stop} closes the interfaces, joins the threads, and flushes and
 * closes the exports. A server is started once.
 *
 * <p>Each receive thread takes the frames queued on its link in one batch, reads the batch's
 * adjacent reads in one go ({@link AdjacentReads}), hands the batch to the shared
 * {@link RequestHandler}, which writes its adjacent writes in one go ({@link WriteRun}), and sends the batch's replies together ({@link ReplyBatch}). Reads,
 * writes and flushes of exports in direct mode, whose every I/O waits for the device, are
 * checked there and then done by a {@link DirectIoPool}, which sends their replies itself.
 */
public final class TargetServer implements AutoCloseable {

    public static final Duration DEFAULT_DUPLICATE_CHECK = Duration.ofSeconds(1);

    private static final Logger LOG = System.getLogger(TargetServer.class.getName());
    /** How long a receive waits, so that a stop is seen promptly even on a link whose close does not wake it. */
    private static final long RECEIVE_TIMEOUT_MILLIS = 200;
    /**
     * Frames taken per receive: a buffer of {@link RequestHandler#MAX_REPLY} bytes each (4 MiB
     * per link at 32), and never more than the link queues.
     */
    private static final int RECEIVE_BATCH = 32;
    private static final long MTU_REFRESH_NANOS = 1_000_000_000L;
    private static final long JOIN_MILLIS = 5_000;

    private final List<ExportSpec> specs;
    private final ExportStateStore stateStore;
    private final LinkOpener opener;
    private final Duration duplicateCheck;
    /**
     * I/O threads for direct-I/O exports (system property {@value #IO_THREADS_PROPERTY}). On
     * this machine's virtio disk, 4 KiB O_DIRECT reads scaled from ~9,000/s with one in flight
     * to ~56,000/s with 8 and ~70,000/s with 16.
     */
    static final String IO_THREADS_PROPERTY = "aoemigrate.target.ioThreads";
    private static final int DEFAULT_IO_THREADS = 16;
    /** Pooled direct-I/O requests at most, whatever the buffer counts: 256 × 128 KiB of buffers. */
    private static final int MAX_IO_REQUESTS = 256;

    private final TargetCounters counters = new TargetCounters();
    /** Null unless an export is opened in direct mode. */
    private final DirectIoPool io;
    private final RequestHandler handler;

    private final List<Export> exports = new ArrayList<>();
    private final List<ServedLink> links = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private boolean started;

    /**
     * @param specs          the exports; addresses must differ
     * @param stateStore     where config strings, masks and reservations persist
     * @param opener         opens the interfaces the specs name
     * @param duplicateCheck how long to listen for another target answering for our addresses
     *                       before serving ({@link #DEFAULT_DUPLICATE_CHECK}); zero skips the check
     */
    public TargetServer(List<ExportSpec> specs, ExportStateStore stateStore, LinkOpener opener, Duration duplicateCheck) {
        this.specs = List.copyOf(specs);
        this.stateStore = stateStore;
        this.opener = opener;
        this.duplicateCheck = duplicateCheck;
        if (this.specs.isEmpty()) {
            throw new IllegalArgumentException("no exports to serve; give at least one");
        }
        Set<ExportAddress> seen = new HashSet<>();
        for (ExportSpec s : this.specs) {
            if (!seen.add(s.address())) {
                throw new IllegalArgumentException(s.address() + " is exported twice; give each export its own shelf.slot");
            }
        }
        if (duplicateCheck.isNegative()) {
            throw new IllegalArgumentException("duplicate check wait " + duplicateCheck + " is negative; use zero to skip it");
        }
        this.io = directIoPool(this.specs);
        this.handler = new RequestHandler(counters, io);
    }

    /**
     * A pool with a request for every buffer the direct exports advertise on each of their
     * links (the most an initiator keeps in flight), or null if no export is in direct mode.
     */
    private static DirectIoPool directIoPool(List<ExportSpec> specs) {
        int requests = 0;
        for (ExportSpec s : specs) {
            if (s.ioMode() == IoMode.DIRECT) {
                requests += s.bufferCount() * s.interfaces().size();
            }
        }
        if (requests == 0) {
            return null;
        }
        int threads = Integer.getInteger(IO_THREADS_PROPERTY, DEFAULT_IO_THREADS);
        if (threads < 1) {
            throw new IllegalArgumentException(IO_THREADS_PROPERTY + "=" + threads + " must be at least 1");
        }
        return new DirectIoPool(threads, Math.min(requests, MAX_IO_REQUESTS));
    }

    /**
     * Opens everything, checks for duplicate targets, starts serving and announces the exports.
     * On failure everything opened so far is closed again.
     *
     * @throws DuplicateTargetException if another target answers for one of the addresses
     * @throws IOException              if an export or interface cannot be opened
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("this server was started already; make a new one");
        }
        started = true;
        try {
            openExports();
            openLinks();
            if (!duplicateCheck.isZero()) {
                checkForDuplicates();
            }
        } catch (IOException | RuntimeException e) {
            closeAll();
            throw e;
        }
        running = true;
        if (io != null) {
            io.start(handler::perform);
        }
        for (ServedLink link : links) {
            Thread t = new Thread(() -> serve(link), "aoe-target " + link.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (ServedLink link : links) {
            advertise(link);
        }
    }

    private void openExports() throws IOException {
        for (ExportSpec spec : specs) {
            try {
                exports.add(Export.open(spec, stateStore));
            } catch (IOException e) {
                throw new IOException(spec.address() + ": " + e.getMessage(), e);
            }
        }
    }

    private void openLinks() throws IOException {
        Map<String, List<Export>> byInterface = new LinkedHashMap<>();
        for (Export e : exports) {
            for (String name : e.spec().interfaces()) {
                byInterface.computeIfAbsent(name, n -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<Export>> entry : byInterface.entrySet()) {
            // the exports on one interface share its receive queue
            int wanted = Math.min(0xFFFF, entry.getValue().stream().mapToInt(e -> e.spec().bufferCount()).sum());
            LinkOpener.Opened opened = opener.open(entry.getKey(), wanted);
            try {
                links.add(new ServedLink(opened.link(), opened.queueFrames(), entry.getValue()));
            } catch (IOException | RuntimeException e) {
                opened.link().close();
                throw e;
            }
        }
    }

    /**
     * Asks each segment whether another station answers Query Config for one of our addresses,
     * before we answer anything: a unicast-style query (shelf.slot of the export) to the
     * Ethernet broadcast address, then listen for {@code duplicateCheck}. Our own other links are
     * not answering yet, so every reply is another target. A target whose mask list excludes us
     * stays silent and cannot be seen this way.
     */
    private void checkForDuplicates() throws IOException {
        int tag = 0x8000_0000 | (ThreadLocalRandom.current().nextInt() & 0x7FFF_FFFF); // bit 31 set: a userland tool's tag
        Set<MacAddress> ours = new HashSet<>();
        for (ServedLink link : links) {
            ours.add(link.mac());
        }
        for (ServedLink link : links) {
            for (Export e : link.exports()) {
                AoeHeader header = AoeHeader.request(MacAddress.BROADCAST, link.mac(), e.address().shelf(),
                        e.address().slot(), AoeCommand.QUERY_CONFIG, tag);
                link.link().send(AoeCodec.toFrame(ConfigMessage.query(header, ConfigSubcommand.READ, null)));
            }
        }
        long deadline = System.nanoTime() + duplicateCheck.toNanos();
        List<DuplicateTargetException.Conflict> conflicts = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(RequestHandler.MAX_REPLY);
        for (ServedLink link : links) {
            while (link.link().receive(buffer, Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
                AoeHeader h;
                try {
                    h = AoeHeader.decode(buffer);
                } catch (AoeProtocolException e) {
                    continue;
                }
                Export mine = link.exportAt(h.shelf(), h.slot());
                if (h.response() && h.command() == AoeCommand.QUERY_CONFIG.code() && mine != null
                        && !ours.contains(h.source())) {
                    DuplicateTargetException.Conflict c =
                            new DuplicateTargetException.Conflict(mine.address(), link.name(), h.source());
                    if (!conflicts.contains(c)) {
                        conflicts.add(c);
                    }
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new DuplicateTargetException(conflicts);
        }
    }

    private void advertise(ServedLink link) {
        for (Export e : link.exports()) {
            List<MacAddress> masks = e.state().masks().macs();
            for (MacAddress to : masks.isEmpty() ? List.of(MacAddress.BROADCAST) : masks) {
                try {
                    link.link().send(RequestHandler.advert(link, e, to));
                    counters.count(TargetEvent.REPLY_OUT);
                } catch (IOException ex) {
                    counters.count(TargetEvent.SEND_FAILED);
                    LOG.log(Level.WARNING, "cannot announce " + e.address() + " on " + link.name() + ": " + ex.getMessage());
                }
            }
        }
    }

    /**
     * One link's receive loop: a batch of frames in (as many as are queued, up to
     * {@link #RECEIVE_BATCH}), each handled in its own buffer, then all replies out together,
     * until stopped. Two system calls per batch instead of two per frame.
     */
    private void serve(ServedLink served) {
        EthernetLink link = served.link();
        int batch = Math.min(RECEIVE_BATCH, served.queueFrames());
        ByteBuffer[] frames = new ByteBuffer[batch];
        for (int i = 0; i < batch; i++) {
            frames[i] = ByteBuffer.allocateDirect(RequestHandler.MAX_REPLY);
        }
        ReplyBatch replies = new ReplyBatch(counters, batch);
        AdjacentReads adjacent = new AdjacentReads();
        long nextMtuRead = System.nanoTime() + MTU_REFRESH_NANOS;
        String lastError = null;
        while (running) {
            try {
                int n = link.receiveMany(frames, batch, RECEIVE_TIMEOUT_MILLIS);
                adjacent.readAhead(served, frames, n);
                try {
                    handler.handleBatch(served, frames, n, replies);
                } finally {
                    adjacent.forget();
                    if (io != null) {
                        io.endBatch();
                    }
                }
                replies.flush(link);
                if (System.nanoTime() - nextMtuRead >= 0) {
                    served.refreshMtu();
                    nextMtuRead = System.nanoTime() + MTU_REFRESH_NANOS;
                }
                lastError = null;
            } catch (IOException | RuntimeException e) {
                // the handler never throws; this is the link failing (interface gone, closed under us)
                if (!running) {
                    break;
                }
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (!error.equals(lastError)) {
                    lastError = error;
                    LOG.log(Level.WARNING, "receive on " + served.name() + " failed, retrying: " + error);
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RECEIVE_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving: closes the interfaces, joins the receive threads, flushes and closes the exports. Idempotent. */
    public synchronized void stop() {
        running = false;
        closeLinks();
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        if (io != null) {
            io.close(); // the receive threads are gone: no new request; the exports close after the last one
        }
        closeExports();
    }

    private void closeAll() {
        closeLinks();
        closeExports();
    }

    private void closeLinks() {
        for (ServedLink link : links) {
            try {
                link.link().close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "closing " + link.name() + ": " + e.getMessage());
            }
        }
        links.clear();
    }

    /** After the threads are gone, so no request is cut off mid-write. */
    private void closeExports() {
        for (Export e : exports) {
            try {
                e.close();
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.ERROR, "flushing and closing " + e + " failed; written data may not be durable: " + ex.getMessage());
            }
        }
        exports.clear();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    public TargetCounters counters() {
        return counters;
    }

    /** The exports being served (empty before start and after stop). */
    public synchronized List<Export> exports() {
        return List.copyOf(exports);
    }

    /** The interfaces being served (empty before start and after stop). */
    public synchronized List<ServedLink> links() {
        return List.copyOf(links);
    }

    /** The handler the receive threads use, for callers that feed frames themselves (the fuzz test). */
    public RequestHandler handler() {
        return handler;
    }

    /** Frames each interface's receive queue dropped since it opened (kernel or hub), by interface name. */
    public synchronized Map<String, Long> linkDrops() {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (ServedLink link : links) {
            try {
                drops.put(link.name(), link.link().drops());
            } catch (IOException e) {
                drops.put(link.name(), -1L);
            }
        }
        return drops;
    }
}
