package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * A FUSE filesystem (libfuse3 low level) that serves one regular file per {@link BlockBackend}
 * at a mount point: {@code MOUNTPOINT/NAME}, the backend's size, opened with direct I/O so no
 * page cache sits between the kernel and the backend.
 *
 * <p>A fixed pool of Java threads reads requests from /dev/fuse and runs them
 * (fuse_session_receive_buf / fuse_session_process_buf): that bounds the requests in flight, and
 * the callbacks run on threads the JVM owns, so jffi does not attach a new thread per callback
 * (docs/fuse-probe.md, pitfall 3). A watchdog aborts the connection when one request has been in
 * the backend longer than the request deadline, so a hung backend cannot leave the loop device
 * and its users in D state forever.
 *
 * <p>{@link #close()} unmounts and stops the workers; call it after the files' users (the loop
 * device) are gone, or it aborts the connection and those users get EIO.
 */
public final class FuseServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FuseServer.class.getName());

    /** The filesystem type in /proc/self/mountinfo: "fuse." + subtype. */
    public static final String FS_TYPE = "fuse.aoe-etherd";
    private static final String MOUNT_OPTIONS = "fsname=aoe-etherd,subtype=aoe-etherd,allow_other,default_permissions";
    private static final Duration WORKER_EXIT_WAIT = Duration.ofSeconds(5);

    private final LibFuse3.Functions fuse;
    private final Runtime runtime;
    private final Path mountpoint;
    private final BlockFileSystem fileSystem;
    private final Pointer session;
    private final List<Thread> workers = new ArrayList<>();
    /** Per worker: System.nanoTime() when its current request started, 0 while it waits for one. */
    private final AtomicLongArray busySince;
    private final ScheduledExecutorService watchdog;
    private volatile long connectionId = -1;
    private volatile boolean aborted;
    private boolean closed;

    private FuseServer(LibFuse3.Functions fuse, Path mountpoint, BlockFileSystem fileSystem, Pointer session, int workerCount, Duration requestDeadline) {
        this.fuse = fuse;
        this.runtime = Runtime.getRuntime(fuse);
        this.mountpoint = mountpoint;
        this.fileSystem = fileSystem;
        this.session = session;
        this.busySince = new AtomicLongArray(workerCount);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fuse-watchdog " + mountpoint));
        long deadlineNanos = requestDeadline.toNanos();
        watchdog.scheduleWithFixedDelay(() -> abortIfStuck(deadlineNanos), 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Mounts the files at {@code mountpoint} (created if missing; it must not be a mount point
     * already) and starts {@code workers} threads serving them.
     *
     * @param requestDeadline how long one request may stay in a backend before the watchdog
     *                        aborts the whole connection; longer than the backend's own deadline
     */
    public static FuseServer mount(Path mountpoint, Map<String, BlockBackend> files, int workers, Duration requestDeadline) throws IOException {
        files.keySet().forEach(FuseServer::checkName);
        if (workers < 1) {
            throw new IllegalArgumentException("FUSE worker count " + workers + " must be at least 1");
        }
        Path where = mountpoint.toAbsolutePath().normalize();
        Files.createDirectories(where);
        if (Mounts.isMountPoint(where)) {
            throw new IOException(where + " is already a mount point; unmount it (or run the etherd cleanup) first");
        }
        LibFuse3.Functions fuse = LibFuse3.load();
        BlockFileSystem fileSystem = new BlockFileSystem(fuse, files);
        Runtime runtime = Runtime.getRuntime(fuse);
        List<Pointer> argumentMemory = arguments(runtime, "aoe-initiator", "-o", MOUNT_OPTIONS);
        Pointer args = argumentMemory.get(0);
        Pointer session = fuse.fuse_session_new(args, fileSystem.ops(), Fuse3Layout.OPS_SIZE, null);
        fuse.fuse_opt_free_args(args);
        Reference.reachabilityFence(argumentMemory);
        if (session == null) {
            throw new IOException("fuse_session_new refused the options '" + MOUNT_OPTIONS + "' (libfuse wrote why to stderr)");
        }
        if (fuse.fuse_session_mount(session, where.toString()) != 0) {
            fuse.fuse_session_destroy(session);
            throw new IOException("mounting FUSE at " + where + " failed (libfuse wrote why to stderr); it needs root, /dev/fuse and the fuse module");
        }
        FuseServer server = new FuseServer(fuse, where, fileSystem, session, workers, requestDeadline);
        server.startWorkers();
        try {
            server.connectionId = FuseControl.connectionId(where); // stat of the root: also waits for FUSE_INIT
        } catch (IOException e) {
            server.close();
            throw new IOException("the FUSE mount at " + where + " does not answer: " + e.getMessage(), e);
        }
        return server;
    }

    public Path mountpoint() {
        return mountpoint;
    }

    /** The served file of that name. */
    public Path file(String name) {
        if (!fileSystem.names().contains(name)) {
            throw new IllegalArgumentException("no file " + name + " in " + mountpoint + "; it serves " + fileSystem.names());
        }
        return mountpoint.resolve(name);
    }

    /** The id under /sys/fs/fuse/connections of this mount. */
    public long connectionId() {
        return connectionId;
    }

    /**
     * Fails every pending and future request with an error at once (fusectl abort): the brake for
     * a backend that no longer answers. The mount stays until {@link #close()}.
     */
    public void abortConnection() throws IOException {
        aborted = true;
        if (connectionId >= 0 && FuseControl.abort(connectionId)) {
            LOG.log(Level.WARNING, "aborted the FUSE connection " + connectionId + " of " + mountpoint + ": its pending and later requests fail with an error");
        }
    }

    /** Unmounts (lazily and with an abort when the files are still in use), stops the workers, removes the mount point. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        watchdog.shutdownNow();
        unmount();
        try {
            Files.deleteIfExists(mountpoint);
        } catch (DirectoryNotEmptyException e) {
            LOG.log(Level.WARNING, "left " + mountpoint + " in place: it is not empty");
        }
        if (!joinWorkers(WORKER_EXIT_WAIT)) {
            // Unmounted, yet workers run: blocked on a connection something still holds, or inside a backend call.
            abortConnection();
            if (!joinWorkers(Duration.ofSeconds(1))) {
                LOG.log(Level.ERROR, "a FUSE worker of " + mountpoint + " is still inside a backend call; the session is left to it");
                return;
            }
        }
        fuse.fuse_session_destroy(session);
    }

    private void unmount() throws IOException {
        try {
            Native.umount2(mountpoint, 0);
        } catch (Native.NativeIOException e) {
            if (e.errno() == Native.EINVAL) {
                return; // no longer a mount point: unmounted from outside
            }
            LOG.log(Level.WARNING, mountpoint + " is still in use (" + e.getMessage() + "): detaching it lazily and aborting the connection,"
                    + " so whoever holds its files (a loop device?) gets EIO instead of waiting");
            Native.umount2(mountpoint, Native.MNT_DETACH);
            abortConnection();
        }
    }

    private void startWorkers() {
        for (int i = 0; i < busySince.length(); i++) {
            int index = i;
            Thread worker = daemon(() -> serve(index), "fuse-worker-" + i + " " + mountpoint);
            workers.add(worker);
            worker.start();
        }
    }

    /** One worker: receive a request, run it (the callbacks reply), until the session ends. */
    private void serve(int index) {
        Pointer buf = Memory.allocateDirect(runtime, Fuse3Layout.BUF_SIZE, true);
        try {
            while (fuse.fuse_session_exited(session) == 0) {
                int received = fuse.fuse_session_receive_buf(session, buf);
                if (received == -Native.EINTR) {
                    continue;
                }
                if (received <= 0) { // 0: unmounted or aborted (ENODEV)
                    if (received < 0) {
                        LOG.log(Level.ERROR, "reading /dev/fuse for " + mountpoint + " failed with errno " + -received + "; worker " + index + " stops");
                    }
                    break;
                }
                busySince.set(index, System.nanoTime() | 1);
                try {
                    fuse.fuse_session_process_buf(session, buf);
                } finally {
                    busySince.set(index, 0);
                }
            }
        } finally {
            Pointer memory = buf.getPointer(Fuse3Layout.BUF_MEM); // malloc'd by libfuse on the first receive
            if (memory != null) {
                Native.libc().free(memory);
            }
        }
    }

    private void abortIfStuck(long deadlineNanos) {
        if (aborted) {
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < busySince.length(); i++) {
            long since = busySince.get(i);
            if (since != 0 && now - since > deadlineNanos) {
                LOG.log(Level.ERROR, "a request on " + mountpoint + " has been in its backend for " + Duration.ofNanos(now - since).toSeconds()
                        + " s, past the deadline; aborting the FUSE connection so its users get EIO instead of hanging");
                try {
                    abortConnection();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.ERROR, "aborting the FUSE connection of " + mountpoint + " failed: " + e.getMessage(), e);
                }
                return;
            }
        }
    }

    private boolean joinWorkers(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return workers.stream().noneMatch(Thread::isAlive);
    }

    /**
     * A struct fuse_args over argv (first element), then the memory it points to, which must stay
     * reachable until fuse_session_new returned; libfuse copies what it keeps.
     */
    private static List<Pointer> arguments(Runtime runtime, String... argv) {
        List<Pointer> memory = new ArrayList<>();
        Pointer args = Memory.allocateDirect(runtime, Fuse3Layout.ARGS_SIZE, true);
        Pointer vector = Memory.allocateDirect(runtime, (argv.length + 1) * 8, true);
        memory.add(args);
        memory.add(vector);
        for (int i = 0; i < argv.length; i++) {
            byte[] bytes = (argv[i] + '\0').getBytes(StandardCharsets.UTF_8);
            Pointer text = Memory.allocateDirect(runtime, bytes.length);
            text.put(0, bytes, 0, bytes.length);
            vector.putPointer(i * 8L, text);
            memory.add(text);
        }
        args.putInt(Fuse3Layout.ARGS_ARGC, argv.length);
        args.putPointer(Fuse3Layout.ARGS_ARGV, vector);
        return memory;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' cannot be a file name in the FUSE directory");
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
