package org.aoemigrate.aoe.initiator.cli;

import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code discover}: who answers a broadcast Query Config, over which paths. */
@Command(name = "discover", description = {
    "Broadcasts a Query Config on each interface (as the Linux driver does on a write to /dev/etherd/discover)"
            + " and lists every device that answers: payload (bytes per frame, the minimum over its paths),"
            + " buffer count, firmware, config string, and each path as interface->target MAC.",
})
final class DiscoverCommand extends AoeSubcommand {

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to collect answers (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 1;

    @Override
    ExitStatus execute() throws Exception {
        List<String> names = interfaceNames();
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
