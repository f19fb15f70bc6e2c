package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The status files of userspace-attached devices, {@code DIR/eS.L} (default
 * {@code /run/aoe-initiator/etherd}): the attach process writes them, {@code stat} reads them.
 * A file whose process is gone (killed before it could remove it) is ignored by readers and
 * replaced by the next attach of that name.
 */
public final class EtherdStatusFiles {

    /** The runtime directory of {@code aoe-initiator attach}: FUSE mounts under {@code fuse/}, status under {@code etherd/}. */
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/aoe-initiator");

    private EtherdStatusFiles() {
    }

    /** Where the status files of a runtime directory go. */
    public static Path statusDir(Path runDir) {
        return runDir.resolve("etherd");
    }

    /** Where the FUSE mounts of a runtime directory go (kept short: the loop records 63 bytes of its file's path). */
    public static Path fuseDir(Path runDir) {
        return runDir.resolve("fuse");
    }

    /** Writes (or replaces) the device's file at once: a reader sees the old or the new text, never half. */
    public static void write(Path dir, EtherdStatus status) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(status.name().toString());
        Path temp = dir.resolve("." + status.name() + "." + status.pid() + ".tmp");
        Files.writeString(temp, status.format(), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the device's file if process {@code pid} wrote it (another attach may own the name by now). */
    public static void remove(Path dir, EtherdStatus status) throws IOException {
        Path file = dir.resolve(status.name().toString());
        try {
            if (EtherdStatus.parse(Files.readString(file, StandardCharsets.UTF_8)).pid() == status.pid()) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IllegalArgumentException e) {
            Files.deleteIfExists(file); // unreadable: nobody's
        }
    }

    /** The devices whose attach process still runs, sorted by name; unreadable and stale files are skipped. */
    public static List<EtherdStatus> live(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<EtherdStatus> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("e\\d+\\.\\d+")).toList()) {
                try {
                    EtherdStatus status = EtherdStatus.parse(Files.readString(file, StandardCharsets.UTF_8));
                    if (ProcessHandle.of(status.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                        found.add(status);
                    }
                } catch (NoSuchFileException e) {
                    // removed while we listed
                } catch (IllegalArgumentException e) {
                    // a file we cannot read is not a device we can show
                }
            }
        }
        found.sort(Comparator.comparing(EtherdStatus::name));
        return found;
    }
}
