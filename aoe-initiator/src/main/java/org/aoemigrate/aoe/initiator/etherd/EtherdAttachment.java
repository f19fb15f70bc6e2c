package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * A userspace {@code /dev/etherd}: for each device, a FUSE file served from its backend, a loop
 * device on that file with direct I/O, and the block node {@code DIR/eS.L} for the loop.
 *
 * <p>{@link #close()} undoes it in the safe order (node, loop, then the FUSE mount), is idempotent,
 * and also runs from a JVM shutdown hook, so SIGTERM cleans up. A loop device waits for its
 * in-flight requests when detached; if they do not come back within the detach patience (a
 * backend that hangs past its own deadline), the FUSE connection is aborted so they fail with EIO
 * and nothing stays in D state. After a crash (SIGKILL) {@link #cleanupLeftovers} removes what the
 * dead process left: its loop devices (recognised by the recorded path of their file, under the
 * runtime directory in a directory named after the process id), its stale mount, its nodes.
 *
 * <p>One attachment per process and runtime directory: the set of devices is fixed at attach.
 */
public final class EtherdAttachment implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EtherdAttachment.class.getName());

    public static final Path DEFAULT_DIR = Path.of("/dev/etherd");
    /** Short on purpose: the loop records at most 63 bytes of its file's path. */
    public static final Path DEFAULT_RUNTIME_DIR = Path.of("/run/aoe-initiator/fuse");

    /**
     * @param dir             where the nodes go ({@code /dev/etherd})
     * @param runtimeDir      where FUSE mounts, one directory per attaching process
     * @param workers         FUSE worker threads: the most requests in the backends at once
     * @param requestDeadline how long one request may stay in a backend before the connection is
     *                        aborted (the watchdog); above the backend's own deadline
     * @param detachPatience  how long detaching a loop may wait for its in-flight requests
     */
    public record Settings(Path dir, Path runtimeDir, int workers, Duration requestDeadline, Duration detachPatience) {

        public static Settings defaults() {
            return new Settings(DEFAULT_DIR, DEFAULT_RUNTIME_DIR, 4, Duration.ofSeconds(120), Duration.ofSeconds(30));
        }

        public Settings withDir(Path newDir) {
            return new Settings(newDir, runtimeDir, workers, requestDeadline, detachPatience);
        }

        public Settings withRuntimeDir(Path newRuntimeDir) {
            return new Settings(dir, newRuntimeDir, workers, requestDeadline, detachPatience);
        }

        public Settings withWorkers(int newWorkers) {
            return new Settings(dir, runtimeDir, newWorkers, requestDeadline, detachPatience);
        }

        public Settings withTimeouts(Duration newRequestDeadline, Duration newDetachPatience) {
            return new Settings(dir, runtimeDir, workers, newRequestDeadline, newDetachPatience);
        }
    }

    /** One attached device: its FUSE file, its loop device, its node. */
    public record Device(AoeAddress name, Path file, LoopDevice loop, Path node) {
    }

    /** What {@link #cleanupLeftovers} removed. */
    public record Cleanup(List<LoopDevice> loops, List<Path> mounts, List<Path> nodes) {
        public boolean isEmpty() {
            return loops.isEmpty() && mounts.isEmpty() && nodes.isEmpty();
        }
    }

    private final Settings settings;
    private final Map<AoeAddress, Device> devices = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::closeOnShutdown, "etherd-detach-on-exit");
    private FuseServer fuse;
    private boolean closed;

    private EtherdAttachment(Settings settings) {
        this.settings = settings;
    }

    /**
     * Serves each backend as {@code settings.dir()/eS.L}. On failure everything done so far is
     * undone before the exception propagates.
     */
    public static EtherdAttachment attach(Map<AoeAddress, BlockBackend> backends, Settings settings) throws IOException {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no devices to attach");
        }
        EtherdAttachment attachment = new EtherdAttachment(settings);
        // First, so a SIGTERM during the attach also cleans up.
        Runtime.getRuntime().addShutdownHook(attachment.shutdownHook);
        try {
            attachment.start(new TreeMap<>(backends));
        } catch (IOException | RuntimeException e) {
            try {
                attachment.close();
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        return attachment;
    }

    /** Under the lock: a SIGTERM meanwhile runs close() after it, not in the middle. */
    private synchronized void start(Map<AoeAddress, BlockBackend> backends) throws IOException {
        Map<String, BlockBackend> files = new LinkedHashMap<>();
        backends.forEach((name, backend) -> files.put(name.toString(), backend));
        fuse = FuseServer.mount(mountpointOf(settings.runtimeDir(), ProcessHandle.current().pid()), files, settings.workers(),
                settings.requestDeadline());
        for (AoeAddress name : backends.keySet()) {
            Path file = fuse.file(name.toString());
            LoopDevice loop = LoopDevice.attach(file);
            // Recorded before the node exists, so close() detaches this loop even if mknod fails.
            devices.put(name, new Device(name, file, loop, null));
            devices.put(name, new Device(name, file, loop, EtherdNodes.create(settings.dir(), name, loop)));
            LOG.log(Level.INFO, () -> settings.dir().resolve(name.toString()) + " is " + loop + " on " + file);
        }
    }

    public synchronized List<Device> devices() {
        return List.copyOf(devices.values());
    }

    public synchronized Optional<Device> device(AoeAddress name) {
        return Optional.ofNullable(devices.get(name));
    }

    /** Removes every node and loop device, then unmounts; idempotent. Errors are collected, not stopping the rest. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs or ran, and finds us closed
            }
        }
        IOException failure = null;
        for (Device device : devices.values()) {
            try {
                detach(device);
            } catch (IOException | RuntimeException e) {
                failure = collect(failure, e);
            }
        }
        if (fuse != null) {
            try {
                fuse.close();
            } catch (IOException | RuntimeException e) {
                failure = collect(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void detach(Device device) throws IOException {
        if (device.node() != null) {
            EtherdNodes.remove(settings.dir(), device.name(), device.loop());
        }
        // Only while it is still ours: a loop detached from outside may serve someone else by now.
        if (device.loop().attachedName().equals(Optional.of(device.file().toString()))
                && !device.loop().detach(settings.detachPatience(), fuse::abortConnection)) {
            LOG.log(Level.WARNING, device.loop() + " for " + device.name() + " is still open elsewhere (a guest?); the kernel frees it at"
                    + " its last close, and its I/O fails from now on");
        }
    }

    private void closeOnShutdown() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "detaching the etherd devices at exit failed: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what attaching processes that no longer run left behind under {@code runtimeDir}:
     * their loop devices, their FUSE mounts (lazily: the daemon is gone, so it cannot hang), and
     * then every node in {@code dir} whose loop device is unbound. Live attachments are left alone.
     */
    public static Cleanup cleanupLeftovers(Path dir, Path runtimeDir) throws IOException {
        List<LoopDevice> loops = new ArrayList<>();
        Path root = runtimeDir.toAbsolutePath().normalize();
        for (ServedDevices.Served device : ServedDevices.list(root)) {
            // The daemon is gone, so its requests already fail: the detach cannot stall.
            if (isDead(device.pid()) && device.loop().detach(Commands.DEFAULT_TIMEOUT, () -> { })) {
                loops.add(device.loop());
            }
        }
        List<Path> mounts = new ArrayList<>();
        for (Mounts.Mount mount : Mounts.read()) {
            if (mount.mountPoint().startsWith(root) && !mount.mountPoint().equals(root) && isDead(ownerOf(root, mount.mountPoint()))) {
                Native.umount2(mount.mountPoint(), Native.MNT_DETACH);
                mounts.add(mount.mountPoint());
            }
        }
        if (Files.isDirectory(root)) {
            try (var entries = Files.list(root)) {
                for (Path processDir : entries.toList()) {
                    if (isDead(ownerOf(root, processDir)) && !Mounts.isMountPoint(processDir)) {
                        Files.deleteIfExists(processDir);
                    }
                }
            }
        }
        List<Path> nodes = EtherdNodes.stale(dir);
        for (Path node : nodes) {
            Files.deleteIfExists(node);
        }
        return new Cleanup(loops, mounts, nodes);
    }

    /** Where the process {@code pid} mounts its FUSE files: {@code runtimeDir/PID}. */
    static Path mountpointOf(Path runtimeDir, long pid) {
        return runtimeDir.toAbsolutePath().normalize().resolve(Long.toString(pid));
    }

    /** The pid from {@code runtimeDir/PID/...}, or -1 when the path is not laid out so. */
    private static long ownerOf(Path runtimeDir, Path path) {
        Path relative = runtimeDir.relativize(path.toAbsolutePath().normalize());
        String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
        return first.matches("\\d{1,18}") ? Long.parseLong(first) : -1;
    }

    private static boolean isDead(long pid) {
        return pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static IOException collect(IOException first, Exception next) {
        if (first == null) {
            return next instanceof IOException io ? io : new IOException(next.getMessage(), next);
        }
        first.addSuppressed(next);
        return first;
    }
}
