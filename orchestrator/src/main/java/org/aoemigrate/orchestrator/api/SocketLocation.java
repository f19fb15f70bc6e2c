package org.aoemigrate.orchestrator.api;

import java.nio.file.Path;

/**
 * Where the daemon listens: {@code STATE_DIR/api/aoemigrate.sock}. The {@code api} directory is
 * 0700 and the socket 0600: whoever can connect can move every guest, so only the daemon's user may.
 */
public final class SocketLocation {

    public static final String DIRECTORY = "api";
    public static final String FILE = "aoemigrate.sock";

    private SocketLocation() {
    }

    public static Path in(Path stateDir) {
        return stateDir.resolve(DIRECTORY).resolve(FILE);
    }
}
