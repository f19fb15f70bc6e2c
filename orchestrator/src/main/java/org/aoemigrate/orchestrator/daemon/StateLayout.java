package org.aoemigrate.orchestrator.daemon;

import java.nio.file.Path;
import org.aoemigrate.orchestrator.api.SocketLocation;

/**
 * What the daemon keeps in the inventory's {@code storage.stateDir}:
 * <pre>
 * STATE_DIR/exports/e1.0.json    the target's state per export (config string, masks, reservation)
 * STATE_DIR/journal.jsonl        the migration journal
 * STATE_DIR/api/aoemigrate.sock  the local API (directory 0700, socket 0600)
 * </pre>
 */
public record StateLayout(Path stateDir) {

    public Path exports() {
        return stateDir.resolve("exports");
    }

    public Path journal() {
        return stateDir.resolve("journal.jsonl");
    }

    public Path socket() {
        return SocketLocation.in(stateDir);
    }
}
