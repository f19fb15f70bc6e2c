package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.aoemigrate.aoe.initiator.check.ExportId;
import org.aoemigrate.aoe.target.ConfigString;
import org.aoemigrate.aoe.target.Export;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.wire.ConfigSubcommand;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Inventory;

/**
 * The AoE target the daemon hosts: as long as the daemon runs, the inventory's exports are
 * served, with their state (config string, masks, reservation) persisted in the state directory
 * so that a restart comes back with the same state (design: "The embedded target").
 */
final class EmbeddedTarget implements AutoCloseable {

    private final TargetServer server;

    private EmbeddedTarget(TargetServer server) {
        this.server = server;
    }

    /**
     * Serves the inventory's exports; with none, serves nothing (a target needs one export).
     * An export whose saved config string is not {@code id=NAME} gets it back: the inventory
     * names the export, and the destination check trusts that name.
     */
    static EmbeddedTarget start(Inventory inventory, StateLayout layout, LinkOpener links, Duration duplicateCheck)
            throws IOException {
        List<ExportSpec> specs = TargetExports.specs(inventory);
        if (specs.isEmpty()) {
            return new EmbeddedTarget(null);
        }
        TargetServer server = new TargetServer(specs, ExportStateStore.inDirectory(layout.exports()), links, duplicateCheck);
        server.start();
        try {
            for (Export e : server.exports()) {
                ExportDisk disk = inventory.exportAt(e.address()).orElseThrow();
                ConfigString id = ConfigString.ofText(ExportId.configString(disk.name()));
                if (!e.state().config().equals(id)) {
                    e.config(ConfigSubcommand.FORCE_SET, id);
                }
            }
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return new EmbeddedTarget(server);
    }

    /** The served export at {@code address}, if any. */
    Optional<Export> export(ExportAddress address) {
        return server == null ? Optional.empty()
                : server.exports().stream().filter(e -> e.address().equals(address)).findFirst();
    }

    Export require(ExportAddress address) throws IOException {
        return export(address).orElseThrow(() -> new IOException("export " + address
                + " is not served by this daemon's target; add it to the inventory's exports and restart the daemon"));
    }

    int exportCount() {
        return server == null ? 0 : server.exports().size();
    }

    int interfaceCount() {
        return server == null ? 0 : server.links().size();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
