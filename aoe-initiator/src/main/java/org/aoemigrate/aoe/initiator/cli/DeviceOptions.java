package org.aoemigrate.aoe.initiator.cli;

import java.time.Duration;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Option;

/** How long a command looks for its device and waits for answers. */
public final class DeviceOptions {

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to look for the device before giving up (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 3;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "A request still unanswered after this long fails, retransmissions and path"
                    + " failover included (default: ${DEFAULT-VALUE} s; the Linux driver waits 180 s).")
    double timeoutSeconds = 30;

    public Duration discoveryWait() throws CommandFailure {
        return positive("--wait", waitSeconds);
    }

    public InitiatorOptions initiatorOptions() throws CommandFailure {
        return InitiatorOptions.DEFAULT.withDeadline(positive("--timeout", timeoutSeconds));
    }

    public static Duration positive(String option, double seconds) throws CommandFailure {
        if (!(seconds > 0) || seconds > 1e6) {
            throw new CommandFailure(ExitStatus.USAGE, option + " " + seconds + " is not a sensible number of seconds;"
                    + " give a positive number, e.g. 3 or 0.5");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
