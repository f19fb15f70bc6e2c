package org.aoemigrate.aoe.initiator.cli;

import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reserve eS.L}: reads, sets or releases the reservation (r11 3.4). */
@Command(name = "reserve", description = {
    "Reads the device's reserve list, or sets it (--set MAC,...: allowed if the device is unreserved or this"
            + " host is on the list; with --force, always), or releases it (--release; with --force, whoever holds it).",
    "While reserved, only the listed initiators may send ATA commands (IDENTIFY excepted).",
})
final class ReserveCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Option(names = "--set", paramLabel = "MAC", split = ",", converter = Converters.Mac.class,
            description = "Reserve the device to these initiator MACs (comma-separated or repeated).")
    List<MacAddress> set = new ArrayList<>();

    @Option(names = "--force", description = "Force-set: replace the list even if others hold the reservation.")
    boolean force;

    @Option(names = "--release", description = "Release the reservation (an empty list).")
    boolean release;

    @Mixin
    DeviceOptions device;

    record ReserveView(AoeAddress device, List<MacAddress> reservedTo) {
    }

    @Override
    protected ExitStatus execute() throws Exception {
        if (release && !set.isEmpty()) {
            throw new CommandFailure(ExitStatus.USAGE, address + ": give --set MAC,... or --release, not both");
        }
        if (force && !release && set.isEmpty()) {
            throw new CommandFailure(ExitStatus.USAGE, address + ": --force goes with --set MAC,... or --release");
        }
        List<MacAddress> list;
        try (DeviceSession session = openDevice(address, device)) {
            AoeDevice disk = session.device();
            if (release) {
                list = force ? disk.forceRelease() : disk.release();
            } else if (!set.isEmpty()) {
                list = force ? disk.reserveForceSet(set) : disk.reserveSet(set);
            } else {
                list = disk.reserveRead();
            }
        }
        ReserveView view = new ReserveView(address, list);
        if (json()) {
            printJson(view);
        } else {
            out().println(address + " reserve list: " + (list.isEmpty() ? "empty (not reserved)"
                    : String.join(",", list.stream().map(MacAddress::toString).toList())));
        }
        return ExitStatus.OK;
    }
}
