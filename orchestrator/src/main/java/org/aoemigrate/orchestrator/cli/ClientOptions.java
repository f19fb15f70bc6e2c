package org.aoemigrate.orchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.orchestrator.api.ApiClient;
import org.aoemigrate.orchestrator.api.SocketLocation;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryException;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.aoemigrate.orchestrator.inventory.StateDirectory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Where the inventory is, and so the daemon's socket: {@code --config}, {@code --socket}. */
public final class ClientOptions {

    static final String DEFAULT_CONFIG = "/etc/aoemigrate/inventory.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            defaultValue = "${env:AOEMIGRATE_CONFIG:-" + DEFAULT_CONFIG + "}",
            description = "The inventory (YAML). The daemon's socket is in its storage.stateDir. Default: "
                    + "$AOEMIGRATE_CONFIG, else " + DEFAULT_CONFIG + ".")
    Path config;

    @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "The daemon's socket, instead of the one the inventory's state directory implies.")
    Path socket;

    Inventory inventory() throws InventoryException, IOException, CommandFailure {
        requireConfig();
        return InventoryReader.read(config);
    }

    private void requireConfig() throws CommandFailure {
        if (!Files.exists(config)) {
            throw new CommandFailure(ExitStatus.CONFIG, "no inventory at " + config + "; give it with --config FILE (or"
                    + " $AOEMIGRATE_CONFIG), or the daemon's socket with --socket PATH");
        }
    }

    /**
     * The socket: {@code --socket}, else {@code STATE_DIR/api/aoemigrate.sock}, with only the state
     * directory read from the inventory (a client starts faster without binding all of it).
     */
    Path socketPath() throws InventoryException, IOException, CommandFailure {
        if (socket != null) {
            return socket;
        }
        requireConfig();
        return SocketLocation.in(StateDirectory.of(config));
    }

    ApiClient client() throws InventoryException, IOException, CommandFailure {
        return new ApiClient(socketPath());
    }
}
