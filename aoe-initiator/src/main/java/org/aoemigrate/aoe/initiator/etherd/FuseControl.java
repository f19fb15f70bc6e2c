package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The last-resort brake for a FUSE connection whose daemon no longer answers: writing to
 * {@code /sys/fs/fuse/connections/ID/abort} fails every pending and future request of that
 * connection with an error at once (Documentation/filesystems/fuse.rst, "Aborting a filesystem
 * connection"), so a loop device or QEMU stuck in D state on it gets EIO instead of hanging. The
 * control filesystem is not always mounted (it was not on the machine this was written on), so it
 * is mounted on demand, in the current mount namespace.
 */
final class FuseControl {

    static final Path CONNECTIONS = Path.of("/sys/fs/fuse/connections");

    private FuseControl() {
    }

    /** The connection id of the FUSE mount at {@code mountpoint}: its st_dev in the kernel's encoding. */
    static long connectionId(Path mountpoint) throws IOException {
        long dev = (Long) Files.getAttribute(mountpoint, "unix:dev");
        return ((long) Native.major(dev) << 20) | Native.minor(dev);
    }

    /** Aborts the connection; false when it is already gone (the daemon exited, or it was unmounted). */
    static boolean abort(long connectionId) throws IOException {
        if (!Files.isDirectory(CONNECTIONS.resolve(Long.toString(connectionId))) && !isMounted()) {
            Native.mountFuseControl(CONNECTIONS);
        }
        Path abort = CONNECTIONS.resolve(Long.toString(connectionId)).resolve("abort");
        if (!Files.exists(abort)) {
            return false;
        }
        Files.writeString(abort, "1", StandardCharsets.US_ASCII);
        return true;
    }

    private static boolean isMounted() throws IOException {
        return Mounts.read().stream().anyMatch(m -> m.mountPoint().equals(CONNECTIONS) && m.fsType().equals("fusectl"));
    }
}
