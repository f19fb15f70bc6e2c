package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.initiator.InitiatorOptions;
import org.aoemigrate.aoe.initiator.TargetPath;
import org.aoemigrate.aoe.initiator.check.DeviceLookup;
import org.aoemigrate.aoe.initiator.etherd.AoeEtherd;
import org.aoemigrate.aoe.initiator.etherd.EtherdAttachment;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatusFiles;

import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attach [eS.L ...]}: a userspace {@code /dev/etherd}, served in the foreground until SIGTERM. */
@Command(name = "attach", description = {
    "Serves AoE devices as block devices DIR/eS.L (default /dev/etherd/eS.L), like the Linux aoe driver, without"
            + " it: each device becomes a file in a FUSE mount (direct I/O), a loop device on that file (direct I/O),"
            + " and a node for the loop device in DIR as this mount namespace sees it. Without eS.L, every device that"
            + " answers discovery; with them, exactly those (all must answer).",
    "Runs in the foreground until SIGTERM (or 'aoe-initiator detach'), then undoes everything: nodes, loop devices,"
            + " mounts. Leftovers of an attach that was killed are removed first. Prints one line per device on"
            + " stdout (a JSON array with --json), then a line containing 'ready' on stderr.",
    "A write returns once the target acknowledged it; fsync reaches the target as ATA FLUSH CACHE. An error from"
            + " the target (reserved to another host, past the end) fails the I/O with EIO; a target that stops"
            + " answering blocks I/O for --dead-secs, then fails it with EIO.",
})
final class AttachCommand extends AoeSubcommand {

    /** Beyond the dead time: the backend fails first; the FUSE watchdog only catches a request stuck past it. */
    private static final Duration WATCHDOG_MARGIN = Duration.ofSeconds(30);
    private static final Duration DETACH_PATIENCE = Duration.ofSeconds(30);

    @Parameters(arity = "0..*", paramLabel = "eS.L", converter = Converters.Address.class,
            description = "The devices to attach, e.g. e1.0 (default: every one that answers).")
    List<AoeAddress> names = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the block nodes go (default: ${DEFAULT-VALUE}).")
    Path dir = EtherdAttachment.DEFAULT_DIR;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Runtime directory: FUSE mounts under DIR/fuse, status files for 'stat' under DIR/etherd (default:"
                    + " ${DEFAULT-VALUE}; keep it short, a loop device records 63 bytes of its file's path).")
    Path runDir = EtherdStatusFiles.DEFAULT_RUN_DIR;

    @Option(names = "--dead-secs", paramLabel = "SECONDS",
            description = "How long I/O waits for a target that stopped answering before it fails with EIO, retransmissions"
                    + " and path failover included (default: ${DEFAULT-VALUE} s, like the Linux driver's aoe_deadsecs).")
    double deadSeconds = 180;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to look for the devices (default: ${DEFAULT-VALUE} s).")
    double waitSeconds = 3;

    @Option(names = "--workers", paramLabel = "N", description = "Requests served at once per process (default: ${DEFAULT-VALUE}).")
    int workers = 8;

    /** One device in {@code --json}. */
    record AttachedView(AoeAddress device, String node, String loop, long bytes, List<String> paths) {
        static AttachedView of(AoeEtherd.Served s) {
            return new AttachedView(s.attached().name(), s.attached().node().toString(), s.attached().loop().device().toString(), s.sizeBytes(),
                    s.device().paths().stream().map(TargetPath::label).toList());
        }
    }

    @Override
    protected ExitStatus execute() throws Exception {
        Duration dead = DeviceOptions.positive("--dead-secs", deadSeconds);
        Duration wait = DeviceOptions.positive("--wait", waitSeconds);
        if (workers < 1 || workers > 256) {
            throw new CommandFailure(ExitStatus.USAGE, "--workers " + workers + " is outside 1-256");
        }
        for (AoeAddress name : names) {
            if (!name.isUnicast()) {
                throw new CommandFailure(ExitStatus.USAGE, name + " is a broadcast address; name devices, e.g. e1.0, or none for all");
            }
        }
        Path fuseDir = EtherdStatusFiles.fuseDir(runDir);
        EtherdAttachment.Cleanup leftovers = EtherdAttachment.cleanupLeftovers(dir, fuseDir);
        if (!leftovers.isEmpty()) {
            err().println(AoeInitiatorCommand.PREFIX + "removed leftovers of a killed attach: loops " + leftovers.loops() + ", mounts "
                    + leftovers.mounts() + ", nodes " + leftovers.nodes());
        }
        var settings = EtherdAttachment.Settings.defaults().withDir(dir).withRuntimeDir(fuseDir).withWorkers(workers)
                .withTimeouts(dead.plus(WATCHDOG_MARGIN), DETACH_PATIENCE);
        List<String> interfaces = interfaceNames();
        AoeInitiator initiator = AoeInitiator.open(interfaces, InitiatorOptions.DEFAULT.withDeadline(dead));
        AoeEtherd etherd;
        try {
            etherd = AoeEtherd.start(initiator, find(initiator, interfaces, wait), settings, EtherdStatusFiles.statusDir(runDir));
        } catch (IOException | CommandFailure | RuntimeException e) {
            initiator.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(etherd, initiator), "aoe-initiator-attach-exit"));
        if (json()) {
            printJson(etherd.served().stream().map(AttachedView::of).toList());
        } else {
            etherd.served().forEach(served -> out().println(served.line()));
        }
        out().flush();
        err().println(AoeInitiatorCommand.PREFIX + "ready: " + etherd.served().size() + " device(s) attached by process "
                + ProcessHandle.current().pid() + "; SIGTERM or 'aoe-initiator detach' detaches them");
        err().flush();
        new CountDownLatch(1).await(); // serve until SIGTERM: the shutdown hook detaches
        return ExitStatus.OK;
    }

    private List<DiscoveredTarget> find(AoeInitiator initiator, List<String> interfaces, Duration wait) throws IOException, CommandFailure {
        if (names.isEmpty()) {
            List<DiscoveredTarget> all = initiator.discover(AoeAddress.BROADCAST, wait);
            if (all.isEmpty()) {
                throw new CommandFailure(ExitStatus.NO_ANSWER, "no AoE device answered on " + String.join(", ", interfaces) + " within "
                        + DeviceLookup.seconds(wait) + "; is a target up on this segment, and does its mask list admit this host?");
            }
            return all;
        }
        List<DiscoveredTarget> found = new ArrayList<>();
        for (AoeAddress name : names.stream().distinct().toList()) {
            Optional<DiscoveredTarget> target = DeviceLookup.find(initiator, name, wait);
            found.add(target.orElseThrow(() -> DeviceSession.noAnswer(name, interfaces, wait)));
        }
        return found;
    }

    private void stop(AoeEtherd etherd, AoeInitiator initiator) {
        try {
            etherd.close();
        } catch (IOException | RuntimeException e) {
            err().println(AoeInitiatorCommand.PREFIX + "detaching at exit failed: " + e.getMessage());
        }
        try {
            initiator.close();
        } catch (IOException e) {
            err().println(AoeInitiatorCommand.PREFIX + "closing the interfaces at exit failed: " + e.getMessage());
        }
        err().flush();
    }
}
