package org.aoemigrate.aoe.initiator.cli;

import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.aoe.wire.MaskDirective;
import org.aoemigrate.aoe.wire.MaskDirectiveCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mask eS.L}: reads or edits the MAC mask list (r11 3.3). */
@Command(name = "mask", description = {
    "Reads the device's MAC mask list, or edits it: the additions, then the deletions, in one request to every"
            + " target port. An empty list admits every initiator; a non-empty one only those listed.",
    "Beware: once the list is non-empty, a host not on it gets no answer at all, this one included.",
})
final class MaskCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Option(names = "--add", paramLabel = "MAC", split = ",", converter = Converters.Mac.class,
            description = "Add this initiator MAC; repeatable.")
    List<MacAddress> add = new ArrayList<>();

    @Option(names = "--delete", paramLabel = "MAC", split = ",", converter = Converters.Mac.class,
            description = "Delete this MAC; repeatable.")
    List<MacAddress> delete = new ArrayList<>();

    @Mixin
    DeviceOptions device;

    record MaskView(AoeAddress device, List<MacAddress> masks) {
    }

    @Override
    protected ExitStatus execute() throws Exception {
        List<MacAddress> list;
        try (DeviceSession session = openDevice(address, device)) {
            List<MaskDirective> directives = new ArrayList<>();
            add.forEach(m -> directives.add(MaskDirective.of(MaskDirectiveCommand.ADD, m)));
            delete.forEach(m -> directives.add(MaskDirective.of(MaskDirectiveCommand.DELETE, m)));
            list = directives.isEmpty() ? session.device().maskRead() : session.device().maskEdit(directives);
        }
        MaskView view = new MaskView(address, list);
        if (json()) {
            printJson(view);
        } else {
            out().println(address + " mask list: " + (list.isEmpty() ? "empty (every initiator admitted)"
                    : String.join(",", list.stream().map(MacAddress::toString).toList())));
        }
        return ExitStatus.OK;
    }
}
