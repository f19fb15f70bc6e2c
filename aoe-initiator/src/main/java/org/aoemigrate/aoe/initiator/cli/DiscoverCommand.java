package org.aoemigrate.aoe.initiator.cli;

import java.nio.file.Path;
import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code discover}: who answers a broadcast Query Config, over which paths. */
@Command(name = "discover", description = {
    "Broadcasts a Query Config on each interface (as the Linux driver does on a write to /dev/etherd/discover)"
            + " and lists every device that answers: payload (bytes per frame, the minimum over its paths),"
            + " buffer count, firmware, config string, and each path as interface->target MAC.",
    "Where the Linux aoe driver is loaded (DEVDIR/discover exists), it also asks the driver to discover, so"
            + " new targets show in /dev/etherd and aoe-stat too.",
})
final class DiscoverCommand extends AoeSubcommand {

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to collect answers (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 1;

    @Option(names = "--dev-dir", paramLabel = "DIR", description = "The aoe driver's device directory (default: ${DEFAULT-VALUE}).")
    Path devDir = AoeSysfs.DEFAULT_DEV_DIR;

    @Option(names = "--no-driver", description = "Do not also ask the Linux aoe driver to discover (by writing"
            + " DEVDIR/discover, when that exists, as aoe-discover does).")
    boolean noDriver;

    @Override
    protected ExitStatus execute() throws Exception {
        List<String> names = interfaceNames();
        AoeSysfs driver = new AoeSysfs(AoeSysfs.DEFAULT_SYSFS, devDir);
        if (!noDriver && driver.canTriggerDiscovery()) {
            driver.triggerDiscovery();
            verbose("asked the aoe driver to discover too (wrote " + devDir.resolve("discover") + ")");
        }
        List<DiscoveredView> found;
        try (AoeInitiator aoe = AoeInitiator.open(names, InitiatorOptions.DEFAULT)) {
            found = aoe.discover(AoeAddress.BROADCAST, DeviceOptions.positive("--wait", waitSeconds)).stream()
                    .map(DiscoveredView::of).toList();
        }
        if (json()) {
            printJson(found);
        } else if (found.isEmpty()) {
            err().println(AoeInitiatorCommand.PREFIX + "no AoE device answered on " + String.join(", ", names)
                    + " within " + waitSeconds + " s");
        } else {
            out().println(DiscoveredView.TEXT_HEADER);
            found.forEach(d -> out().println(d.textRow()));
        }
        return ExitStatus.OK;
    }
}
