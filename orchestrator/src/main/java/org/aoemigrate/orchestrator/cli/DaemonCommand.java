package org.aoemigrate.orchestrator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.aoemigrate.aoe.target.DuplicateTargetException;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.aoe.target.cli.PacketSocketOpener;
import org.aoemigrate.cli.CommandFailure;
import org.aoemigrate.orchestrator.daemon.Daemon;
import org.aoemigrate.orchestrator.daemon.DaemonParts;
import org.aoemigrate.orchestrator.daemon.StateLayout;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.engine.check.CheckAgents;
import org.aoemigrate.orchestrator.engine.check.InitiatorDestinationCheck;
import org.aoemigrate.orchestrator.engine.check.ProcessRemoteExec;
import org.aoemigrate.orchestrator.hypervisor.libvirt.LibvirtHypervisors;
import org.aoemigrate.orchestrator.inventory.Inventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daemon}: runs in the foreground until SIGTERM or SIGINT. The JVM's shutdown hook stops
 * it cleanly (migrations aborted and settled, socket removed, exports flushed); the JVM then exits
 * with 143 or 130, as {@code aoe-target} does.
 */
@Command(name = "daemon", description = {
    "Runs the daemon in the foreground: serves the inventory's exports with the embedded AoE target on"
            + " storage.interfaces, runs migrations, and answers the other commands on"
            + " STATE_DIR/api/aoemigrate.sock (directory 0700, socket 0600). Needs root (raw sockets, libvirt).",
    "State in storage.stateDir: exports/ (config strings, masks, reservations), journal.jsonl. Stop with SIGTERM.",
})
final class DaemonCommand extends AoemigrateSubcommand {

    @Option(names = "--initiator", paramLabel = "CMD", defaultValue = "${env:AOE_INITIATOR:-aoe-initiator}",
            description = "The aoe-initiator command on the hosts, run through each host's exec prefix for the"
                    + " destination check. Default: $AOE_INITIATOR, else aoe-initiator.")
    String initiator;

    @Option(names = "--check-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long one destination check may take. Default: ${DEFAULT-VALUE}.")
    long checkTimeoutSeconds;

    @Option(names = "--no-check-agents",
            description = "Run each destination check as a one-shot 'aoe-initiator check' (a JVM per check) instead of"
                    + " asking the 'aoe-initiator check-agent' the daemon keeps running on each host.")
    boolean noCheckAgents;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "500",
            description = "How often a running migration's statistics are read. Default: ${DEFAULT-VALUE}.")
    long pollMillis;

    @Override
    protected ExitStatus execute() throws Exception {
        Inventory inventory = root.client.inventory();
        Path socket = root.client.socket != null ? root.client.socket : new StateLayout(inventory.storage().stateDir()).socket();
        LibvirtHypervisors hypervisors = new LibvirtHypervisors();
        // started first: their JVMs start while the target starts, and the first move's check finds them up
        Optional<CheckAgents> agents = noCheckAgents ? Optional.empty()
                : Optional.of(CheckAgents.start(inventory.hosts().values(), initiator, line -> {
                    err().println("aoemigrate daemon: " + line);
                    err().flush();
                }));
        DaemonParts parts = new DaemonParts(hypervisors, new PacketSocketOpener(),
                (inv, sizes) -> new InitiatorDestinationCheck(new ProcessRemoteExec(), agents, inv.storage().macs(), sizes,
                        initiator, Duration.ofSeconds(checkTimeoutSeconds)),
                Ticker.SYSTEM, Duration.ofMillis(pollMillis), TargetServer.DEFAULT_DUPLICATE_CHECK);
        CountDownLatch stopped = new CountDownLatch(1);
        Daemon[] daemon = {null};
        Thread hook = new Thread(() -> {
            synchronized (daemon) {
                if (daemon[0] != null) {
                    daemon[0].close();
                }
            }
            hypervisors.close();
            agents.ifPresent(CheckAgents::close);
            stopped.countDown();
        }, "aoemigrate daemon shutdown");
        // before start: a signal during the start still stops what started
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            synchronized (daemon) {
                daemon[0] = Daemon.start(inventory, socket, parts, err());
            }
        } catch (DuplicateTargetException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hypervisors.close();
            agents.ifPresent(CheckAgents::close);
            throw new CommandFailure(ExitStatus.CONFIG, "another AoE target already serves an export of the inventory: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            hypervisors.close();
            agents.ifPresent(CheckAgents::close);
            throw new CommandFailure(ExitStatus.CONFIG, "the daemon cannot start: " + e.getMessage(), e);
        }
        stopped.await();
        return ExitStatus.OK;
    }
}
