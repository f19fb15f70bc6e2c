package org.aoemigrate.aoe.initiator.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** A block device's major and minor number, as {@code stat} reports them in {@code st_rdev}. */
public record DeviceNumber(int major, int minor) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    /** glibc's {@code gnu_dev_major}/{@code gnu_dev_minor}: 12-bit major and 20-bit minor split over the 64 bits. */
    public static DeviceNumber ofRdev(long rdev) {
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new DeviceNumber(major, minor);
    }

    /**
     * The number of the block device node at {@code path} (symlinks followed, as open does);
     * empty if nothing is there or it is not a block device.
     */
    public static Optional<DeviceNumber> ofBlockNode(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            if ((mode & S_IFMT) != S_IFBLK) {
                return Optional.empty();
            }
            return Optional.of(ofRdev((Long) Files.getAttribute(path, "unix:rdev")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** True if something exists at {@code path} (a dangling symlink counts). */
    public static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@code /sys/dev/block/MAJ:MIN} under a sysfs root: where the kernel lists the device's size. */
    public Path sysfsDir(Path sysfsRoot) {
        return sysfsRoot.resolve("dev").resolve("block").resolve(this.toString());
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
