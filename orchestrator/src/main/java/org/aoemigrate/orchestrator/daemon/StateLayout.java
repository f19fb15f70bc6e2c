package org.aoemigrate.orchestrator.daemon;

import java.nio.file.Path;
import org.aoemigrate.orchestrator.api.SocketLocation;

/**
 * What the daemon keeps in the inventory's {@code storage.stateDir}:
 * <pre>
 * STATE_DIR/exports/e1.0.json    the target's state per export (config string, masks, reservation)
 * STATE_DIR/journal.jsonl        the migration journal
 * STATE_DIR/maintenance.json     the hosts a drain put in maintenance
 * STATE_DIR/runs.jsonl           every rebalance and drain run, its plan and outcome
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

    public Path maintenance() {
        return stateDir.resolve("maintenance.json");
    }

    public Path runs() {
        return stateDir.resolve("runs.jsonl");
    }

    public Path socket() {
        return SocketLocation.in(stateDir);
    }
}
