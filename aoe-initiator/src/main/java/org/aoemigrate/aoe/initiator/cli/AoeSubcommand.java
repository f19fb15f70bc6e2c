package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeDevice;
import org.aoemigrate.aoe.initiator.DeviceStats;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.PathStats;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: {@code -i}, {@code --json}, {@code -v}, and where its results
 * (stdout) and diagnostics (stderr) go. A subcommand implements {@link #execute()} and throws
 * on failure ({@link CommandFailure} with a status, or the library's exceptions); the root
 * command maps what it throws to a message and an exit status. Public so that commands living
 * with the code they drive (e.g. {@code attach} in the etherd package) can extend it.
 */
public abstract class AoeSubcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InterfaceOptions interfaces;

    @Mixin
    OutputOptions output;

    @Override
    public final Integer call() throws Exception {
        return execute().code();
    }

    /** Does the work and returns the exit status; failures are thrown. */
    protected abstract ExitStatus execute() throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean json() {
        return output.json;
    }

    /** Prints {@code value} as JSON on stdout. */
    protected void printJson(Object value) {
        Json.print(out(), value);
    }

    /** A diagnostic line on stderr, shown only with {@code -v}. */
    protected void verbose(String line) {
        if (output.verbose) {
            err().println(AoeInitiatorCommand.PREFIX + line);
        }
    }

    protected List<String> interfaceNames() throws CommandFailure {
        return interfaces.resolve();
    }

    /** Finds and opens the device on the chosen interfaces; with {@code -v}, says over which paths. */
    DeviceSession openDevice(AoeAddress address, DeviceOptions options) throws IOException, CommandFailure {
        return openDevice(address, options.discoveryWait(), options.initiatorOptions());
    }

    DeviceSession openDevice(AoeAddress address, Duration wait, InitiatorOptions options) throws IOException,
            CommandFailure {
        DeviceSession session = DeviceSession.open(address, interfaceNames(), wait, options);
        AoeDevice device = session.device();
        verbose(device + ", " + device.sectorsPerFrame() * AoeConstants.SECTOR_SIZE + " bytes per frame, "
                + device.identity().bytes() + " bytes");
        return session;
    }

    /** With {@code -v}: what each path carried, so a failover or a lossy link shows. */
    void verboseStats(AoeDevice device) {
        DeviceStats stats = device.stats();
        verbose(device.address() + ": " + stats.requests() + " requests, " + stats.retransmissions() + " retransmissions ("
                + stats.spuriousRetransmissions() + " spurious: the first copy was answered late), " + stats.timeouts() + " timeouts, " + stats.errors() + " errors");
        for (PathStats p : stats.paths()) {
            verbose("  path " + p.link() + "->" + p.target() + (p.up() ? " up" : " DOWN") + ": sent " + p.sent()
                    + ", answered " + p.answered() + ", timed out " + p.timeouts() + ", send errors " + p.sendErrors()
                    + ", rtt " + p.smoothedRtt().toNanos() / 1000 + " us");
        }
    }
}
