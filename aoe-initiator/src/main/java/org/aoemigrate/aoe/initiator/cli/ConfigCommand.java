package org.aoemigrate.aoe.initiator.cli;

import java.util.Optional;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.ConfigInfo;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code config eS.L}: reads, tests or sets the config string (r11 3.2). */
@Command(name = "config", description = {
    "Reads the device's config string and Query Config figures; or sets it (--set: only if empty or equal;"
            + " --force-set: always, an empty STRING clears it); or tests it (--test: exact, --prefix: prefix).",
    "r11 3.2: a target does not answer a test that fails, so --test and --prefix exit with status 3 when the"
            + " string does not match.",
    "aoemigrate stores an export's id here as id=ID (see check --help).",
})
final class ConfigCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @ArgGroup(exclusive = true)
    Action action;

    static final class Action {
        @Option(names = "--set", paramLabel = "STRING", description = "Store STRING unless another string is stored (AoE error 4).")
        String set;

        @Option(names = "--force-set", paramLabel = "STRING", description = "Store STRING whatever is stored.")
        String forceSet;

        @Option(names = "--test", paramLabel = "STRING", description = "Succeed only if the stored string is exactly STRING.")
        String test;

        @Option(names = "--prefix", paramLabel = "STRING", description = "Succeed only if the stored string starts with STRING.")
        String prefix;
    }

    @Mixin
    DeviceOptions device;

    record ConfigView(AoeAddress device, String config, int bufferCount, String firmware, int sectorsPerFrame) {
        static ConfigView of(AoeAddress device, ConfigInfo c) {
            return new ConfigView(device, c.configText(), c.bufferCount(), String.format("0x%04x", c.firmwareVersion()),
                    c.sectorsPerFrame());
        }
    }

    @Override
    protected ExitStatus execute() throws Exception {
        Optional<ConfigInfo> answer;
        try (DeviceSession session = openDevice(address, device)) {
            AoeDevice disk = session.device();
            if (action == null) {
                answer = Optional.of(disk.configRead());
            } else if (action.set != null) {
                answer = Optional.of(disk.configSet(action.set));
            } else if (action.forceSet != null) {
                answer = Optional.of(disk.configForceSet(action.forceSet));
            } else if (action.test != null) {
                answer = disk.configTest(action.test);
            } else {
                answer = disk.configTestPrefix(action.prefix);
            }
        }
        if (answer.isEmpty()) {
            String string = action.test != null ? action.test : action.prefix;
            throw new CommandFailure(ExitStatus.NO_ANSWER, address + ": the config string does not "
                    + (action.test != null ? "equal" : "start with") + " \"" + string
                    + "\" (the target stayed silent, as r11 3.2 says it does when a test fails)");
        }
        ConfigView view = ConfigView.of(address, answer.get());
        if (json()) {
            printJson(view);
        } else {
            out().printf("%s config \"%s\" (buffer count %d, firmware %s, %d sectors per frame)%n", address,
                    view.config(), view.bufferCount(), view.firmware(), view.sectorsPerFrame());
        }
        return ExitStatus.OK;
    }
}
