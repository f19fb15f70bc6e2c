package org.aoemigrate.aoe.initiator.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.etherd.EtherdAttachment;
import org.aoemigrate.aoe.initiator.etherd.EtherdStatusFiles;
import org.aoemigrate.aoe.initiator.etherd.ServedDevices;

import org.aoemigrate.cli.CommandFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code detach [eS.L ...]}: undoes {@code attach} from another process. */
@Command(name = "detach", description = {
    "Detaches devices that 'aoe-initiator attach' serves (all, or those named): removes the node in DIR and the loop"
            + " device; an attach process left serving nothing is stopped (SIGTERM) and unmounts its FUSE files; waits"
            + " until it has exited. Also removes what a killed attach left behind. Works when the target has gone away:"
            + " I/O still in flight after --patience is failed with EIO.",
})
final class DetachCommand extends AoeSubcommand {

    /** An attach process unmounts and closes its interfaces within this after SIGTERM. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

    @Parameters(arity = "0..*", paramLabel = "eS.L", converter = Converters.Address.class,
            description = "The devices to detach, e.g. e1.0 (default: all).")
    List<AoeAddress> names = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "Where attach made the nodes (default: ${DEFAULT-VALUE}).")
    Path dir = EtherdAttachment.DEFAULT_DIR;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "attach's runtime directory (default: ${DEFAULT-VALUE}).")
    Path runDir = EtherdStatusFiles.DEFAULT_RUN_DIR;

    @Option(names = "--patience", paramLabel = "SECONDS",
            description = "How long a loop device may wait for its in-flight I/O before that I/O is failed (default: ${DEFAULT-VALUE} s).")
    double patienceSeconds = 30;

    @Override
    protected ExitStatus execute() throws Exception {
        Duration patience = DeviceOptions.positive("--patience", patienceSeconds);
        Path fuseDir = EtherdStatusFiles.fuseDir(runDir);
        List<ServedDevices.Served> detached = ServedDevices.detach(dir, fuseDir, Set.copyOf(names), patience);
        for (ServedDevices.Served device : detached) {
            out().println(device.name() + " " + device.loop().device() + " detached (served by process " + device.pid() + ")");
        }
        awaitExit(detached, fuseDir);
        EtherdAttachment.Cleanup leftovers = EtherdAttachment.cleanupLeftovers(dir, fuseDir);
        if (!leftovers.isEmpty()) {
            out().println("removed leftovers of a killed attach: loops " + leftovers.loops() + ", mounts " + leftovers.mounts()
                    + ", nodes " + leftovers.nodes());
        }
        Set<AoeAddress> missing = new LinkedHashSet<>(names);
        detached.forEach(d -> missing.remove(d.name()));
        if (!missing.isEmpty()) {
            err().println(AoeInitiatorCommand.PREFIX + "not attached here (under " + fuseDir + "): " + missing);
            return ExitStatus.NOT_FOUND;
        }
        if (detached.isEmpty() && leftovers.isEmpty()) {
            verbose("nothing is attached under " + fuseDir);
        }
        return ExitStatus.OK;
    }

    /** The processes that serve nothing now were sent SIGTERM: wait, so that nothing is left when we return. */
    private void awaitExit(List<ServedDevices.Served> detached, Path fuseDir) throws Exception {
        Set<Long> serving = new LinkedHashSet<>();
        ServedDevices.list(fuseDir).forEach(d -> serving.add(d.pid()));
        for (long pid : detached.stream().map(ServedDevices.Served::pid).distinct().toList()) {
            if (serving.contains(pid)) {
                continue;
            }
            var process = ProcessHandle.of(pid);
            if (process.isEmpty()) {
                continue;
            }
            try {
                process.get().onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new CommandFailure(ExitStatus.SOFTWARE, "attach process " + pid + " did not exit within " + EXIT_WAIT.toSeconds()
                        + " s of SIGTERM; see its log, then kill -9 " + pid + " and run detach again to clean up");
            } catch (ExecutionException e) {
                // it is gone either way
            }
        }
    }
}
