package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * The block device nodes {@code DIR/eS.L} (default {@code /dev/etherd}) that stand for the loop
 * devices, the names the Linux aoe driver would give; guests and tools open these. A node is a
 * plain mknod of the loop's major:minor with the loop node's owner and mode, in the directory as
 * the current mount namespace sees it. Nodes of other devices (the kernel aoe driver's own, major
 * 152) are never touched.
 */
public final class EtherdNodes {

    private static final int S_IFMT = 0xF000;
    private static final String NAME_PATTERN = "e\\d+\\.\\d+";
    private static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");

    private EtherdNodes() {
    }

    /**
     * Makes {@code dir/eS.L} the block node of {@code loop} (creating {@code dir} if missing). A node
     * already there for the same device is kept; a stale one of ours (its loop unbound) replaced;
     * anything else is refused.
     */
    public static Path create(Path dir, AoeAddress name, LoopDevice loop) throws IOException {
        Files.createDirectories(dir);
        Path node = dir.resolve(name.toString());
        if (Files.exists(node, LinkOption.NOFOLLOW_LINKS)) {
            long rdev = blockDevice(node);
            if (rdev == Native.makedev(loop.major(), loop.minor())) {
                return node;
            }
            if (rdev < 0 || !isUnboundLoop(rdev)) {
                throw new IOException(node + " already exists and is not a leftover node of ours (" + describe(node, rdev)
                        + "); remove it or choose another directory with --dir");
            }
            Files.delete(node);
        }
        Native.mknodBlock(node, 0600, loop.major(), loop.minor());
        // Same owner and mode as /dev/loopN (root:disk 0660 on Debian), set after mknod so the umask does not narrow them.
        for (String attribute : List.of("unix:uid", "unix:gid", "unix:mode")) {
            Object value = Files.getAttribute(loop.device(), attribute);
            Files.setAttribute(node, attribute, attribute.equals("unix:mode") ? ((Integer) value & 07777) : value);
        }
        return node;
    }

    /**
     * Removes {@code dir/eS.L} if it is the node of {@code loop}; a node of another device (made
     * by someone else since) is left alone.
     */
    public static void remove(Path dir, AoeAddress name, LoopDevice loop) throws IOException {
        if (isNodeOf(dir, name, loop)) {
            Files.delete(dir.resolve(name.toString()));
        }
    }

    /** Whether {@code dir/eS.L} is the node of {@code loop}. */
    public static boolean isNodeOf(Path dir, AoeAddress name, LoopDevice loop) throws IOException {
        Path node = dir.resolve(name.toString());
        return Files.exists(node, LinkOption.NOFOLLOW_LINKS) && blockDevice(node) == Native.makedev(loop.major(), loop.minor());
    }

    /** The {@code eS.L} nodes in {@code dir} whose loop device has nothing attached any more. */
    public static List<Path> stale(Path dir) throws IOException {
        List<Path> stale = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return stale;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path node : entries.filter(p -> p.getFileName().toString().matches(NAME_PATTERN)).sorted().toList()) {
                long rdev = blockDevice(node);
                if (rdev >= 0 && isUnboundLoop(rdev)) {
                    stale.add(node);
                }
            }
        }
        return stale;
    }

    /** The device number of a block node, or -1 when {@code path} is something else. */
    private static long blockDevice(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == Native.S_IFBLK ? (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS) : -1;
    }

    /** A loop device with no file attached (sysfs shows a {@code loop} directory only while bound). */
    private static boolean isUnboundLoop(long rdev) throws IOException {
        Path sys = SYS_DEV_BLOCK.resolve(Native.major(rdev) + ":" + Native.minor(rdev));
        if (!Files.exists(sys)) {
            return Native.major(rdev) == loopMajor(); // a loop device that was removed altogether
        }
        return sys.toRealPath().getFileName().toString().startsWith("loop") && !Files.isDirectory(sys.resolve("loop"));
    }

    /** The loop driver's block major from /proc/devices (7 on every Linux so far, but it is the kernel's to say). */
    private static int loopMajor() throws IOException {
        boolean block = false;
        for (String line : Files.readAllLines(Path.of("/proc/devices"))) {
            block |= line.startsWith("Block devices:");
            String[] fields = line.strip().split("\\s+");
            if (block && fields.length == 2 && fields[1].equals("loop")) {
                return Integer.parseInt(fields[0]);
            }
        }
        return -1;
    }

    private static String describe(Path node, long rdev) {
        return rdev < 0 ? "not a block device" : "block device " + Native.major(rdev) + ":" + Native.minor(rdev) + " in use";
    }
}
