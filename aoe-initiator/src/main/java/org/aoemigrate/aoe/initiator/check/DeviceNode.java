package org.aoemigrate.aoe.initiator.check;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aoemigrate.aoe.initiator.sysfs.DeviceNumber;

/**
 * A block device node as the destination host's guests would open it: its number, its size and
 * whether its first and last sectors can be read.
 *
 * @param path       the node
 * @param number     major:minor
 * @param bytes      the size
 * @param sizeSource where the size came from: {@code /sys/dev/block/MAJ:MIN/size}, else the
 *                   {@code BLKGETSIZE64} ioctl (what the JDK does for a block device's channel size)
 */
record DeviceNode(Path path, DeviceNumber number, long bytes, String sizeSource) {

    private static final int SECTOR = 512;

    /** The node's facts; throws with a sentence for the check when it is missing or not a block device. */
    static DeviceNode inspect(Path node, Path sysfsRoot) throws IOException {
        if (!DeviceNumber.exists(node)) {
            throw new IOException(node + " does not exist");
        }
        DeviceNumber number = DeviceNumber.ofBlockNode(node).orElseThrow(() -> new IOException(node
                + " exists but is not a block device (" + kind(node) + ")"));
        Path sizeFile = number.sysfsDir(sysfsRoot).resolve("size");
        if (Files.isReadable(sizeFile)) {
            long sectors = Long.parseLong(Files.readString(sizeFile, StandardCharsets.US_ASCII).strip());
            return new DeviceNode(node, number, sectors * SECTOR, sizeFile.toString());
        }
        try (FileChannel channel = FileChannel.open(node, StandardOpenOption.READ)) {
            return new DeviceNode(node, number, channel.size(), "BLKGETSIZE64");
        }
    }

    private static String kind(Path node) {
        if (Files.isDirectory(node)) {
            return "a directory";
        }
        if (Files.isRegularFile(node)) {
            return "a regular file";
        }
        return "neither a file nor a directory";
    }

    /** How the ends were read: which I/O mode, and which sectors. */
    record EndsRead(boolean direct, long lastSector) {
    }

    /**
     * Reads the first and the last sector through the node, with O_DIRECT when the node allows it
     * (so the page cache cannot answer for a device that has gone), plain otherwise. A read that
     * hangs (a dead device under a driver that retries for minutes) fails after {@code timeout}.
     */
    EndsRead readEnds(Duration timeout) throws IOException {
        CompletableFuture<EndsRead> read = CompletableFuture.supplyAsync(() -> {
            try {
                return readEnds();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "check-read-" + path.getFileName());
            t.setDaemon(true); // a read stuck in the kernel must not keep the process alive
            t.start();
        });
        try {
            return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException("reading " + path + " did not finish within " + DeviceLookup.seconds(timeout)
                    + "; the device hangs (is its target reachable from this host?)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + path);
        }
    }

    private EndsRead readEnds() throws IOException {
        long lastSector = bytes / SECTOR - 1;
        if (lastSector < 0) {
            throw new IOException(path + " has size 0: there is no sector to read");
        }
        FileChannel direct = openDirect();
        boolean isDirect = direct != null;
        try (FileChannel channel = isDirect ? direct : FileChannel.open(path, StandardOpenOption.READ)) {
            int unit = isDirect ? (int) Math.max(SECTOR, Files.getFileStore(path).getBlockSize()) : SECTOR;
            ByteBuffer buffer = ByteBuffer.allocateDirect(2 * unit).alignedSlice(unit);
            readAt(channel, buffer, 0, SECTOR);
            // direct I/O reads whole aligned units; the one holding the last sector may stop at the end of the device
            long lastUnit = (lastSector * SECTOR) / unit * unit;
            readAt(channel, buffer, lastUnit, lastSector * SECTOR + SECTOR - lastUnit);
            return new EndsRead(isDirect, lastSector);
        }
    }

    private FileChannel openDirect() {
        try {
            return FileChannel.open(path, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // e.g. EINVAL where O_DIRECT is not supported: a plain read still proves the path works
        }
    }

    /** Reads one buffer at {@code position}; at least {@code needed} bytes must arrive. */
    private void readAt(FileChannel channel, ByteBuffer buffer, long position, long needed) throws IOException {
        buffer.clear();
        int n = channel.read(buffer, position);
        if (n < needed) {
            throw new IOException("reading " + path + " at byte " + position + " returned " + Math.max(n, 0)
                    + " bytes, fewer than the " + needed + " expected: the device is shorter than it says");
        }
    }
}
