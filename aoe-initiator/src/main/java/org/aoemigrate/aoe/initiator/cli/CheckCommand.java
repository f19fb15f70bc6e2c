package org.aoemigrate.aoe.initiator.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.check.CheckExpectation;
import org.aoemigrate.aoe.initiator.check.CheckReport;
import org.aoemigrate.aoe.initiator.check.DestinationCheck;
import org.aoemigrate.aoe.initiator.check.RunningLookup;
import org.aoemigrate.aoe.initiator.sysfs.AoeSysfs;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code check eS.L --expect-id ID}: does this host see the right disk? (the migration preflight) */
@Command(name = "check", description = {
    "Checks that this host sees the right disk as eS.L before a guest moves here; exit 0 only if every part holds.",
    "Parts:",
    "  node      DEVDIR/eS.L exists and is a block device (if missing and the aoe driver is loaded, its"
            + " discovery is triggered and the node awaited);",
    "  driver    if the Linux aoe driver has the device, its state is up (skipped otherwise);",
    "  answer    the export answers on -i IFACE, from the --expect-mac MACs and no other (a silent"
            + " expected MAC is noted as degraded, a stranger fails);",
    "  identity  its config string is id=ID (aoemigrate's convention: the config string is exactly"
            + " 'id=' followed by the export id), and the IDENTIFY serial is --expect-serial if given;",
    "  size      the node, the export (IDENTIFY) and --expect-size agree;",
    "  read      the first and last sectors read through the node (O_DIRECT if the node allows it).",
    "Exits 0 only if no part failed, 8 if one did; any other status means the check could not run.",
})
final class CheckCommand extends AoeSubcommand {

    @Parameters(index = "0", paramLabel = "eS.L", converter = Converters.Address.class, description = "The device, e.g. e1.0.")
    AoeAddress address;

    @Option(names = "--expect-id", required = true, paramLabel = "ID", description = "The export id its config string must carry.")
    String id;

    @Option(names = "--expect-size", paramLabel = "BYTES", converter = Converters.Bytes.class,
            description = "The export's size in bytes (suffixes k, M, G, T allowed).")
    Long size;

    @Option(names = "--expect-mac", paramLabel = "MAC", split = ",", converter = Converters.Mac.class,
            description = "Target MACs that may answer (comma-separated or repeated); default: any.")
    List<MacAddress> macs = new ArrayList<>();

    @Option(names = "--expect-serial", paramLabel = "SERIAL", description = "The IDENTIFY serial the export must report.")
    String serial;

    @Option(names = "--dev-dir", paramLabel = "DIR", description = "Where the node is (default: ${DEFAULT-VALUE}).")
    Path devDir = AoeSysfs.DEFAULT_DEV_DIR;

    @Option(names = "--sysfs-root", paramLabel = "DIR", description = "Where sysfs is mounted (default: ${DEFAULT-VALUE}).")
    Path sysfsRoot = AoeSysfs.DEFAULT_SYSFS;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to wait for the export to answer (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 3;

    @Option(names = "--read-timeout", paramLabel = "SECONDS",
            description = "How long reading through the node may take (default: ${DEFAULT-VALUE} s).")
    double readTimeoutSeconds = 10;

    /** What becomes of the check's initiator once the report is known. */
    @FunctionalInterface
    interface InitiatorRelease {
        void release(AoeInitiator initiator) throws IOException;
    }

    /** Closed at once; the check agent sets its own, which closes it after the answer ({@link CheckAgentCloser}). */
    InitiatorRelease release = AoeInitiator::close;

    /**
     * Set by the check agent: the lookup a prepare request with these very arguments started
     * ({@link PreparedLookup}), which the check uses, with its initiator, instead of starting one.
     */
    Optional<RunningLookup> startedAhead = Optional.empty();

    /**
     * Set by the check agent for a prepare request: the command only opens the initiator, starts
     * the check's lookup and hands it here, and prints nothing. The rest of the check reads the
     * device, which must wait until the disks are reserved to this host.
     */
    Consumer<RunningLookup> prepareOnly;

    record PartView(String part, String outcome, String detail) {
    }

    record ReportView(AoeAddress device, boolean passed, List<PartView> parts) {
        static ReportView of(CheckReport r) {
            return new ReportView(r.device(), r.passed(), r.parts().stream()
                    .map(p -> new PartView(p.part().label(), p.outcome().label(), p.detail())).toList());
        }
    }

    @Override
    protected ExitStatus execute() throws Exception {
        CheckExpectation expect;
        try {
            expect = new CheckExpectation(address, id, size == null ? OptionalLong.empty() : OptionalLong.of(size), macs,
                    Optional.ofNullable(serial));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitStatus.USAGE, address + ": " + e.getMessage(), e);
        }
        Duration readTimeout = DeviceOptions.positive("--read-timeout", readTimeoutSeconds);
        DestinationCheck check = new DestinationCheck(new AoeSysfs(sysfsRoot, devDir),
                DeviceOptions.positive("--wait", waitSeconds), readTimeout);
        if (prepareOnly != null) {
            prepareOnly.accept(check.startLookup(expect, open(readTimeout)));
            return ExitStatus.OK;
        }
        RunningLookup lookup = startedAhead.isPresent() ? startedAhead.get() : check.startLookup(expect, open(readTimeout));
        CheckReport report;
        try (Closeable released = () -> release.release(lookup.initiator())) {
            report = check.run(expect, lookup);
        }
        if (json()) {
            printJson(ReportView.of(report));
        } else {
            report.textLines().forEach(out()::println);
        }
        return report.passed() ? ExitStatus.OK : ExitStatus.CHECK_FAILED;
    }

    /** The check's initiator; IDENTIFY gets as long as a read through the node: a check must not hang on a dying target. */
    private AoeInitiator open(Duration readTimeout) throws IOException, CommandFailure {
        return AoeInitiator.open(interfaceNames(), InitiatorOptions.DEFAULT.withDeadline(readTimeout));
    }
}
