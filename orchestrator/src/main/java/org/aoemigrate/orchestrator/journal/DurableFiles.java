package org.aoemigrate.orchestrator.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that survive a crash, for the daemon's state files: the journal and the run log (lines
 * appended), the maintenance list (replaced whole). Each write is forced to disk before it returns,
 * and so is the directory entry of a file it creates, or a crash could lose the whole file.
 */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** Appends one line ({@code text} and a newline) to {@code file}, creating it and its directory. */
    public static void appendLine(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean created = !Files.exists(file);
        Files.createDirectories(dir);
        write(file, (text + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        if (created) {
            syncDirectory(dir);
        }
    }

    /** Replaces {@code file} with {@code content} by renaming a new file over it: a crash leaves either state, never half of one. */
    public static void replace(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    private static void write(Path file, byte[] content, StandardOpenOption mode) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // some file systems refuse to open directories; the file's own fsync is all we can do
        }
    }
}
