package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * A loop device ({@code /dev/loopN}, block major:minor) and the operations on it: attach a file
 * with direct I/O, detach, and find the ones backed by files under a directory.
 *
 * <p>Attach and detach run util-linux {@code losetup} rather than the ioctls: losetup already
 * handles the race for a free device (LOOP_CTL_GET_FREE, then LOOP_CONFIGURE, retried on EBUSY),
 * sets direct I/O atomically with LOOP_CONFIGURE where the kernel has it, and records the file's
 * path in the loop's {@code lo_file_name}; a process per attach costs milliseconds, once per
 * device. The one thing losetup cannot give is that recorded name once the file's mount is gone
 * (it prints the sysfs path, which then reads {@code /e1.0}), so that is read with
 * LOOP_GET_STATUS64 directly: it is how leftovers are recognised after a crash.
 */
public record LoopDevice(Path device, int major, int minor) {

    private static final Path SYS_BLOCK = Path.of("/sys/block");
    /** linux/loop.h: LO_NAME_SIZE; struct loop_info64 is 232 bytes, lo_file_name at 56. */
    private static final int LO_NAME_SIZE = 64;
    private static final int LOOP_INFO64_SIZE = 232;
    private static final int LOOP_INFO64_FILE_NAME = 56;

    /** What to do when detaching takes too long: the loop waits for its in-flight requests. */
    @FunctionalInterface
    public interface StallAction {
        void run() throws IOException;
    }

    /**
     * Attaches {@code file} to a free loop device with direct I/O (the loop then sends O_DIRECT
     * requests to the file, and keeps no page cache of its own), and checks that direct I/O is on.
     */
    public static LoopDevice attach(Path file) throws IOException {
        String path = file.toAbsolutePath().normalize().toString();
        if (path.getBytes(StandardCharsets.UTF_8).length >= LO_NAME_SIZE) {
            throw new IllegalArgumentException("loop backing path " + path + " is " + path.length() + " bytes; the loop keeps only "
                    + (LO_NAME_SIZE - 1) + " (lo_file_name), too few to recognise it after a crash: use a shorter runtime directory");
        }
        LoopDevice loop = of(Path.of(Commands.run(List.of("losetup", "--find", "--show", "--direct-io=on", path)).strip()));
        if (!loop.directIo()) {
            loop.detach(Commands.DEFAULT_TIMEOUT, () -> { });
            throw new IOException("the kernel did not enable direct I/O on " + loop.device() + " for " + path
                    + " (the file's filesystem must accept O_DIRECT); detached it again");
        }
        return loop;
    }

    /** The loop device at {@code device} ({@code /dev/loopN}), bound or not. */
    public static LoopDevice of(Path device) throws IOException {
        String name = device.getFileName().toString();
        Path dev = SYS_BLOCK.resolve(name).resolve("dev");
        if (!name.startsWith("loop") || !Files.exists(dev)) {
            throw new IOException(device + " is not a loop device (no " + dev + ")");
        }
        String[] majorMinor = Files.readString(dev).strip().split(":");
        return new LoopDevice(device, Integer.parseInt(majorMinor[0]), Integer.parseInt(majorMinor[1]));
    }

    /** Every loop device that has a file attached. */
    public static List<LoopDevice> bound() throws IOException {
        List<LoopDevice> loops = new ArrayList<>();
        try (Stream<Path> entries = Files.list(SYS_BLOCK)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("loop\\d+")).sorted().toList()) {
                if (Files.isDirectory(entry.resolve("loop"))) {
                    loops.add(of(Path.of("/dev").resolve(entry.getFileName())));
                }
            }
        }
        return loops;
    }

    /** The bound loop devices whose file was attached from under {@code directory}. */
    public static List<LoopDevice> backedUnder(Path directory) throws IOException {
        String prefix = directory.toAbsolutePath().normalize() + "/";
        List<LoopDevice> loops = new ArrayList<>();
        for (LoopDevice loop : bound()) {
            if (loop.attachedName().filter(name -> name.startsWith(prefix)).isPresent()) {
                loops.add(loop);
            }
        }
        return loops;
    }

    private Path sysfs() {
        return SYS_BLOCK.resolve(device.getFileName().toString());
    }

    /** Whether a file is attached (sysfs shows a {@code loop} directory only then). */
    public boolean isBound() {
        return Files.isDirectory(sysfs().resolve("loop"));
    }

    public boolean directIo() throws IOException {
        Path dio = sysfs().resolve("loop").resolve("dio");
        return Files.exists(dio) && Files.readString(dio).strip().equals("1");
    }

    /**
     * The path the file had when it was attached ({@code lo_file_name}, at most 63 bytes), which
     * survives the file's mount going away; empty when nothing is attached.
     */
    public Optional<String> attachedName() throws IOException {
        int fd = Native.openReadOnly(device);
        try {
            Pointer info = Memory.allocateDirect(Native.runtime(), LOOP_INFO64_SIZE, true);
            try {
                Native.ioctl(fd, device, Native.LOOP_GET_STATUS64, info);
            } catch (Native.NativeIOException e) {
                if (e.errno() == Native.ENXIO) {
                    return Optional.empty(); // unbound
                }
                throw e;
            }
            return Optional.of(info.getString(LOOP_INFO64_FILE_NAME, LO_NAME_SIZE, StandardCharsets.UTF_8));
        } finally {
            Native.close(fd);
        }
    }

    /**
     * Detaches the file ({@code losetup -d}). The loop first finishes its in-flight requests; if
     * that takes longer than {@code patience} (a FUSE request that does not come back),
     * {@code onStall} runs (abort the FUSE connection, so they fail) and detaching goes on.
     *
     * @return true when the device is free now; false when another process still has it open
     *         (QEMU, a mount): the kernel then detaches it at that last close (autoclear)
     */
    public boolean detach(Duration patience, StallAction onStall) throws IOException {
        if (!isBound()) {
            return true;
        }
        Commands.Running losetup = Commands.start(List.of("losetup", "-d", device.toString()));
        if (!losetup.awaitExit(patience)) {
            onStall.run();
            if (!losetup.awaitExit(Commands.DEFAULT_TIMEOUT)) {
                throw new IOException("losetup -d " + device + " still hangs after the stall action; the loop waits for a request that never ends");
            }
        }
        try {
            losetup.result();
        } catch (IOException e) {
            if (!isBound()) {
                return true; // detached meanwhile (autoclear, another cleanup): the goal is met
            }
            throw e;
        }
        return !isBound();
    }

    @Override
    public String toString() {
        return device + " (" + major + ":" + minor + ")";
    }
}
