package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.check.DeviceLookup;
import org.aoemigrate.cli.CommandFailure;

/**
 * An initiator on the chosen interfaces with one device found and opened: what most commands
 * work on. Closing it closes both.
 */
final class DeviceSession implements AutoCloseable {

    private final AoeInitiator initiator;
    private final AoeDevice device;

    private DeviceSession(AoeInitiator initiator, AoeDevice device) {
        this.initiator = initiator;
        this.device = device;
    }

    static DeviceSession open(AoeAddress address, List<String> interfaces, Duration wait, InitiatorOptions options)
            throws IOException, CommandFailure {
        if (!address.isUnicast()) {
            throw new CommandFailure(ExitStatus.USAGE, address + " is a broadcast address; name one device,"
                    + " e.g. e1.0 (shelf 0-65534, slot 0-254)");
        }
        AoeInitiator initiator = AoeInitiator.open(interfaces, options);
        try {
            DiscoveredTarget target = DeviceLookup.find(initiator, address, wait).orElseThrow(() -> noAnswer(address, interfaces, wait));
            return new DeviceSession(initiator, initiator.open(target));
        } catch (IOException | CommandFailure | RuntimeException e) {
            initiator.close();
            throw e;
        }
    }

    static CommandFailure noAnswer(AoeAddress address, List<String> interfaces, Duration wait) {
        return new CommandFailure(ExitStatus.NO_ANSWER, address + ": no answer on " + String.join(", ", interfaces)
                + " within " + DeviceLookup.seconds(wait) + "; is the target up and on this segment, and does its mask list"
                + " admit this host?");
    }

    AoeDevice device() {
        return device;
    }

    @Override
    public void close() throws IOException {
        device.close();
        initiator.close();
    }
}
