package org.aoemigrate.orchestrator.daemon;

import java.util.Comparator;
import java.util.List;
import org.aoemigrate.aoe.initiator.check.ExportId;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.orchestrator.inventory.AoePort;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Inventory;

/**
 * The embedded target's exports, from the inventory: every export on every storage interface
 * (multipath), with the config string {@code id=NAME} that the destination check expects
 * ({@link ExportId}, {@code aoe-initiator check --expect-id NAME}).
 */
final class TargetExports {

    private TargetExports() {
    }

    static List<ExportSpec> specs(Inventory inventory) {
        List<String> interfaces = inventory.storage().ports().stream().map(AoePort::name).toList();
        return inventory.exports().values().stream().sorted(Comparator.comparing(ExportDisk::address))
                .map(e -> ExportSpec.builder(e.address(), e.image()).interfaces(interfaces).ioMode(e.ioMode())
                        .initialConfig(ExportId.configString(e.name())).build())
                .toList();
    }
}
