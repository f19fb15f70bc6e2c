package org.aoemigrate.aoe.initiator.cli;

import java.time.Duration;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench eS.L}: how fast this initiator moves data to and from one device. */
@Command(name = "bench", description = {
    "Keeps WINDOW requests of BLOCK bytes in flight to the device for SECONDS and prints MiB/s, I/Os and AoE"
            + " requests per second, retransmissions, and this process's CPU use (OS process CPU time, as %% of one"
            + " core and per AoE request).",
    "--write overwrites the device with a pattern: only on a scratch disk.",
})
final class BenchCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @ArgGroup(exclusive = true)
    Direction direction = new Direction();

    static final class Direction {
        @Option(names = "--read", description = "Read (the default).")
        boolean read;

        @Option(names = "--write", description = "Write (destroys the device's contents).")
        boolean write;
    }

    @Option(names = "--random", description = "Random block-aligned offsets instead of sequential ones.")
    boolean random;

    @Option(names = "--block", paramLabel = "BYTES", converter = Converters.Bytes.class,
            description = "Bytes per I/O, a multiple of 512 (default: one frame's payload).")
    Long block;

    @Option(names = "--window", paramLabel = "N", description = "I/Os in flight (default: ${DEFAULT-VALUE}).")
    int window = 64;

    @Option(names = "--seconds", paramLabel = "S", description = "How long to run (default: ${DEFAULT-VALUE}).")
    double seconds = 5;

    @Mixin
    DeviceOptions device;

    @Override
    protected ExitStatus execute() throws Exception {
        if (window < 1 || window > 0xFFFF) {
            throw new CommandFailure(ExitStatus.USAGE, address + ": --window " + window + " is outside 1-65535");
        }
        Duration duration = DeviceOptions.positive("--seconds", seconds);
        // the initiator never has more in flight to one target port than its maxOutstanding: let the window decide
        InitiatorOptions options = device.initiatorOptions();
        options = options.withRetransmit(options.retransmit().withMaxOutstanding(window));
        BenchResult result;
        try (DeviceSession session = openDevice(address, device.discoveryWait(), options)) {
            long blockBytes = block != null ? block : (long) session.device().sectorsPerFrame() * 512;
            TransferSummary.requireSectors(address, "--block", blockBytes);
            if (blockBytes == 0 || blockBytes > session.device().identity().bytes() || blockBytes > (64 << 20)) {
                throw new CommandFailure(ExitStatus.USAGE, address + ": --block " + blockBytes
                        + " must be between 512 bytes, 64 MiB and the device's size");
            }
            result = new BenchRun(session.device(), direction.write, random, (int) blockBytes, window, duration,
                    options.retransmit().deadline()).run();
            verboseStats(session.device());
        }
        if (json()) {
            printJson(result);
        } else {
            out().println(result.text());
        }
        return ExitStatus.OK;
    }
}
