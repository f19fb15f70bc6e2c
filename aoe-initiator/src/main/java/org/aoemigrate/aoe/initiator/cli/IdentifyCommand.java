package org.aoemigrate.aoe.initiator.cli;

import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.ConfigInfo;
import org.aoemigrate.aoe.initiator.Identity;
import org.aoemigrate.aoe.initiator.sysfs.AoeStatTable;
import org.aoemigrate.aoe.wire.AoeConstants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code identify eS.L}: IDENTIFY DEVICE and Query Config of one device. */
@Command(name = "identify", description = {
    "Sends IDENTIFY DEVICE and a Query Config to the device and prints its size, model, serial, firmware,"
            + " config string and paths.",
})
final class IdentifyCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Mixin
    DeviceOptions device;

    record IdentifyView(AoeAddress device, long sectors, long bytes, String model, String serial, String firmware,
            boolean lba48, String config, int payload, List<DiscoveredView.PathView> paths) {
    }

    @Override
    protected ExitStatus execute() throws Exception {
        IdentifyView view;
        try (DeviceSession session = openDevice(address, device)) {
            AoeDevice disk = session.device();
            Identity id = disk.identity();
            ConfigInfo config = disk.configRead();
            view = new IdentifyView(address, id.sectors(), id.bytes(), id.model(), id.serial(), id.firmware(), id.lba48(),
                    config.configText(), disk.sectorsPerFrame() * AoeConstants.SECTOR_SIZE,
                    disk.paths().stream().map(DiscoveredView.PathView::of).toList());
        }
        if (json()) {
            printJson(view);
        } else {
            out().printf("device    %s%n", view.device());
            out().printf("size      %d bytes (%d sectors, %s)%n", view.bytes(), view.sectors(),
                    AoeStatTable.gigabytes(view.sectors()));
            out().printf("model     %s%n", view.model());
            out().printf("serial    %s%n", view.serial());
            out().printf("firmware  %s%n", view.firmware());
            out().printf("lba48     %s%n", view.lba48() ? "yes" : "no");
            out().printf("config    \"%s\"%n", view.config());
            out().printf("payload   %d bytes per frame%n", view.payload());
            out().printf("paths     %s%n", String.join(",", view.paths().stream().map(DiscoveredView.PathView::label).toList()));
        }
        return ExitStatus.OK;
    }
}
