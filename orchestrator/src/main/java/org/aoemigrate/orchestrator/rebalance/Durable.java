package org.aoemigrate.orchestrator.rebalance;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/** What makes a new or renamed file survive a crash: its directory entry forced to disk too. */
final class Durable {

    private Durable() {
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // some file systems refuse to open directories; the file's own fsync is all we can do
        }
    }
}
