package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatus;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatusFiles;
import org.aoemigrate.aoe.initiator.sysfs.AoeStatEntry;
import org.aoemigrate.aoe.initiator.sysfs.AoeStatTable;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import org.aoemigrate.aoe.initiator.sysfs.SysfsDevice;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stat}: aoe-stat's table, from the Linux driver's sysfs or from userspace discovery. */
@Command(name = "stat", description = {
    "Prints the AoE devices in aoe-stat's format (device, size in GB, interfaces, payload, state), sorted,"
            + " optionally filtered by a regular expression.",
    "Without --probe it reads the Linux aoe driver's view (SYSFS/block/etherd!eS.L) and warns about nodes in"
            + " DEVDIR with the wrong minor number, like aoe-stat. With --probe it asks the network instead:"
            + " discovery and IDENTIFY from userspace, on -i IFACE; every device that answers is 'up'.",
    "Devices that 'aoe-initiator attach' serves (the userspace /dev/etherd) are listed too, from the status files"
            + " under --run-dir: 'up' while a path answers, 'down' while none does.",
})
final class StatCommand extends AoeSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "REGEX", description = "Show only lines matching this (like aoe-stat's argument).")
    String regex;

    @Option(names = "--probe", description = "Discover from userspace instead of reading the driver's sysfs.")
    boolean probe;

    @Option(names = "--sysfs-root", paramLabel = "DIR", description = "Where sysfs is mounted (default: ${DEFAULT-VALUE}).")
    Path sysfsRoot = AoeSysfs.DEFAULT_SYSFS;

    @Option(names = "--dev-dir", paramLabel = "DIR", description = "The driver's device directory (default: ${DEFAULT-VALUE}).")
    Path devDir = AoeSysfs.DEFAULT_DEV_DIR;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "The runtime directory of 'attach' (default: ${DEFAULT-VALUE}).")
    Path runDir = EtherdStatusFiles.DEFAULT_RUN_DIR;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "With --probe: how long to collect answers (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 1;

    @Override
    protected ExitStatus execute() throws Exception {
        Pattern filter = filter();
        List<AoeStatEntry> entries = probe ? probe() : fromSysfs();
        List<AoeStatEntry> shown = AoeStatTable.select(entries, filter);
        if (json()) {
            printJson(shown);
        } else {
            AoeStatTable.lines(entries, filter).forEach(out()::println);
        }
        return shown.isEmpty() ? ExitStatus.NOT_FOUND : ExitStatus.OK;
    }

    private Pattern filter() throws CommandFailure {
        try {
            return regex == null ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CommandFailure(ExitStatus.USAGE, "REGEX '" + regex + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    private List<AoeStatEntry> fromSysfs() throws IOException, CommandFailure {
        AoeSysfs sysfs = new AoeSysfs(sysfsRoot, devDir);
        if (!sysfs.isMounted()) {
            throw new CommandFailure(ExitStatus.NOT_FOUND, "sysfs is not mounted at " + sysfsRoot
                    + " (no " + sysfsRoot.resolve("block") + "); mount it, or give --sysfs-root");
        }
        List<SysfsDevice> devices = sysfs.devices();
        sysfs.nodeWarnings(devices).forEach(w -> err().println(AoeInitiatorCommand.PREFIX + "warning: " + w));
        if (devices.isEmpty()) {
            verbose("the aoe driver shows no device in " + sysfsRoot.resolve("block")
                    + " (is aoe.ko loaded? try --probe for a userspace look)");
        }
        List<AoeStatEntry> entries = new ArrayList<>(devices.stream().map(SysfsDevice::toStatEntry).toList());
        EtherdStatusFiles.live(EtherdStatusFiles.statusDir(runDir)).stream().map(EtherdStatus::toStatEntry).forEach(entries::add);
        return entries;
    }

    private List<AoeStatEntry> probe() throws IOException, CommandFailure {
        List<AoeStatEntry> entries = new ArrayList<>();
        try (AoeInitiator aoe = AoeInitiator.open(interfaceNames(), InitiatorOptions.DEFAULT)) {
            for (DiscoveredTarget t : aoe.discover(AoeAddress.BROADCAST, DeviceOptions.positive("--wait", waitSeconds))) {
                String netif = String.join(",", t.links());
                int payload = t.sectorsPerFrame() * AoeConstants.SECTOR_SIZE;
                try (AoeDevice device = aoe.open(t)) {
                    entries.add(new AoeStatEntry(t.address().toString(), device.sectors(), netif, payload, "up"));
                } catch (IOException e) {
                    // it answered discovery but not IDENTIFY: shown, as the driver shows a device it cannot use
                    verbose(e.getMessage());
                    entries.add(new AoeStatEntry(t.address().toString(), null, netif, payload, "down"));
                }
            }
        }
        return entries;
    }
}
