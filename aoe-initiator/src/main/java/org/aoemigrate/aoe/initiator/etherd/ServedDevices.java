package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * The etherd devices that attaching processes serve, seen from another process: what
 * {@code aoe-initiator detach [eS.L ...]} works on. Each is found through its loop device, whose
 * recorded file path is {@code RUNTIME_DIR/PID/eS.L}. Detaching one removes its node and its
 * loop device; a process left serving nothing is then asked to exit (SIGTERM), and its shutdown
 * hook unmounts its FUSE files.
 */
public final class ServedDevices {

    private static final System.Logger LOG = System.getLogger(ServedDevices.class.getName());

    /** One device: its name, the serving process, its loop device and FUSE file. */
    public record Served(AoeAddress name, long pid, LoopDevice loop, Path file) {
    }

    private ServedDevices() {
    }

    /** Every device served under {@code runtimeDir}, by live processes or dead ones (see cleanupLeftovers). */
    public static List<Served> list(Path runtimeDir) throws IOException {
        Path root = runtimeDir.toAbsolutePath().normalize();
        List<Served> served = new ArrayList<>();
        for (LoopDevice loop : LoopDevice.backedUnder(root)) {
            Optional<String> name = loop.attachedName();
            if (name.isEmpty()) {
                continue;
            }
            Path file = Path.of(name.get());
            Path relative = root.relativize(file);
            if (relative.getNameCount() == 2 && relative.getName(0).toString().matches("\\d{1,18}")) {
                served.add(new Served(AoeAddress.parse(relative.getName(1).toString()), Long.parseLong(relative.getName(0).toString()), loop, file));
            }
        }
        return served;
    }

    /**
     * Detaches the named devices ({@code names} empty: all) from {@code dir}: node, then loop
     * device. A loop that waits longer than {@code patience} for its in-flight requests gets its
     * FUSE connection aborted. Then every serving process left with no device gets SIGTERM.
     *
     * @return the devices detached
     */
    public static List<Served> detach(Path dir, Path runtimeDir, Set<AoeAddress> names, Duration patience) throws IOException {
        List<Served> detached = new ArrayList<>();
        Set<Long> processes = new LinkedHashSet<>();
        for (Served device : list(runtimeDir)) {
            if (!names.isEmpty() && !names.contains(device.name()) || !servedHere(dir, device)) {
                continue;
            }
            EtherdNodes.remove(dir, device.name(), device.loop());
            if (!device.loop().detach(patience, () -> abort(device))) {
                LOG.log(Level.WARNING, device.loop() + " for " + device.name() + " is still open elsewhere (a guest?); the kernel frees it at its last close");
            }
            detached.add(device);
            processes.add(device.pid());
        }
        Set<Long> stillServing = new LinkedHashSet<>();
        for (Served device : list(runtimeDir)) {
            stillServing.add(device.pid());
        }
        for (long pid : processes) {
            if (!stillServing.contains(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: its shutdown hook unmounts
            }
        }
        return detached;
    }

    /**
     * Loop devices are global but a host's view is not: another host sharing this kernel (a
     * container, a lab hypervisor) serves the same eS.L under the same path from its own mount
     * namespace, and detaching its loop would cut its guest's disk. A device is this host's when
     * our node directory holds its node, or (node already gone) its FUSE file is mounted in our
     * mount namespace.
     */
    private static boolean servedHere(Path dir, Served device) throws IOException {
        return EtherdNodes.isNodeOf(dir, device.name(), device.loop()) || Mounts.isMountPoint(device.file().getParent());
    }

    /** The mount lives in the serving process's mount namespace: reach it through /proc/PID/root. */
    private static void abort(Served device) throws IOException {
        Path mountpoint = Path.of("/proc", Long.toString(device.pid()), "root").resolve(device.file().getParent().toString().substring(1));
        FuseControl.abort(FuseControl.connectionId(mountpoint));
        LOG.log(Level.WARNING, "aborted the FUSE connection of " + device.name() + " (process " + device.pid() + "): its requests did not come back");
    }
}
