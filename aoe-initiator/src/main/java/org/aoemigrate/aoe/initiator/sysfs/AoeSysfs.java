package org.aoemigrate.aoe.initiator.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.aoemigrate.aoe.initiator.AoeAddress;

/**
 * The Linux aoe driver's view of AoE devices, read where aoetools read it: the gendisks
 * {@code SYSFS/block/etherd!eS.L} (attributes {@code size}, {@code state}, {@code mac},
 * {@code netif}, {@code payload}, {@code dev}) and the nodes {@code DEVDIR/eS.L}. Discovery is
 * triggered by writing to {@code DEVDIR/discover} (the driver's character device, minor 3).
 *
 * <p>Both roots are parameters so the view can be tested against a fake tree: the driver exists
 * only in the initial network namespace, and not at all on machines without {@code aoe.ko}.
 */
public final class AoeSysfs {

    public static final Path DEFAULT_SYSFS = Path.of("/sys");
    public static final Path DEFAULT_DEV_DIR = Path.of("/dev/etherd");

    /** {@code etherd!e1.2} (sysfs replaces the '/' of {@code etherd/e1.2}); partitions ({@code e1.2p1}) do not match. */
    private static final Pattern GENDISK = Pattern.compile("(?:.*!)?(e\\d+\\.\\d+)");

    private final Path sysfs;
    private final Path devDir;

    public AoeSysfs(Path sysfs, Path devDir) {
        this.sysfs = sysfs;
        this.devDir = devDir;
    }

    public static AoeSysfs system() {
        return new AoeSysfs(DEFAULT_SYSFS, DEFAULT_DEV_DIR);
    }

    public Path sysfsRoot() {
        return sysfs;
    }

    public Path devDir() {
        return devDir;
    }

    /** False if {@code SYSFS/block} is missing (sysfs not mounted there): aoe-stat's "sysfs is not mounted". */
    public boolean isMounted() {
        return Files.isDirectory(sysfs.resolve("block"));
    }

    /** Every aoe device the driver shows, sorted by name. */
    public List<SysfsDevice> devices() throws IOException {
        List<SysfsDevice> found = new ArrayList<>();
        Path block = sysfs.resolve("block");
        if (!Files.isDirectory(block)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(block)) {
            for (Path dir : entries.sorted().toList()) {
                Matcher m = GENDISK.matcher(dir.getFileName().toString());
                if (m.matches()) {
                    found.add(read(m.group(1), dir));
                }
            }
        }
        return found;
    }

    /** The driver's device {@code eS.L}, if it has one. */
    public Optional<SysfsDevice> device(AoeAddress address) throws IOException {
        Path dir = sysfs.resolve("block").resolve("etherd!" + address);
        return Files.isDirectory(dir) ? Optional.of(read(address.toString(), dir)) : Optional.empty();
    }

    /** The node {@code DEVDIR/eS.L} (it may not exist). */
    public Path node(AoeAddress address) {
        return devDir.resolve(address.toString());
    }

    /**
     * Warnings, as aoe-stat gives them, for nodes whose minor number differs from the driver's:
     * a node left from an earlier discovery order ({@code aoe_dyndevs}) opens another disk.
     */
    public List<String> nodeWarnings(List<SysfsDevice> devices) throws IOException {
        List<String> warnings = new ArrayList<>();
        for (SysfsDevice d : devices) {
            Path node = devDir.resolve(d.device());
            Optional<DeviceNumber> number = DeviceNumber.ofBlockNode(node);
            if (number.isPresent() && d.minor() != null && !d.minor().equals(Integer.toString(number.get().minor()))) {
                warnings.add("device node " + node + " has wrong minor device number (" + number.get().minor()
                        + "; the driver's is " + d.minor() + "); remove it and let udev recreate it");
            }
        }
        return warnings;
    }

    /** True if the driver's discover device exists here. */
    public boolean canTriggerDiscovery() {
        return Files.exists(devDir.resolve("discover"));
    }

    /**
     * Asks the driver to broadcast a Query Config on its interfaces (what {@code aoe-discover}
     * does); answers arrive asynchronously, so new devices appear shortly after.
     */
    public void triggerDiscovery() throws IOException {
        Path discover = devDir.resolve("discover");
        try {
            Files.write(discover, "\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IOException(discover + " does not exist: the aoe driver is not loaded (modprobe aoe),"
                    + " or its devices are elsewhere (--dev-dir)", e);
        }
    }

    private static SysfsDevice read(String name, Path dir) {
        return new SysfsDevice(name, number(attribute(dir, "size")), attribute(dir, "state"), attribute(dir, "mac"),
                attribute(dir, "netif"), integer(attribute(dir, "payload")), attribute(dir, "dev"));
    }

    /** The attribute's first line, trimmed; null if missing or unreadable (aoe-stat's {@code cat_or_NA}). */
    private static String attribute(Path dir, String name) {
        try {
            String text = Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).strip();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        } catch (IOException e) {
            return null;
        }
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer integer(String text) {
        Long n = number(text);
        return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
    }
}
