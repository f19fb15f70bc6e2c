package org.aoemigrate.aoe.target.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.aoemigrate.aoe.link.PacketSocketLink;
import org.aoemigrate.aoe.target.BackingStore;
import org.aoemigrate.aoe.target.Export;
import org.aoemigrate.aoe.target.ExportSpec;
import org.aoemigrate.aoe.target.ExportStateStore;
import org.aoemigrate.aoe.target.TargetEvent;
import org.aoemigrate.aoe.target.TargetServer;
import org.aoemigrate.cli.CommandFailure;

/**
 * Runs a {@link TargetServer} in the foreground until the JVM is told to stop.
 *
 * <p>Problems are found in the order an operator fixes them, and before anything is sent:
 * the files (missing, or shorter than the window), then the interfaces (missing, or no
 * permission for a raw socket), then the state directory; only then does the server start,
 * which listens for another target on our addresses first.
 *
 * <p>Stopping: SIGTERM and SIGINT run the JVM's shutdown hooks; ours stops the server (requests
 * in flight finish, files are flushed and closed) and the JVM then exits with 143 or 130. The
 * command does not turn that into 0: systemd units say {@code SuccessExitStatus=143}.
 */
final class ForegroundTarget {

    private final List<ExportSpec> exports;
    private final Path stateDir;
    private final Duration probeWait;
    private final PrintWriter log;

    ForegroundTarget(List<ExportSpec> exports, Path stateDir, Duration probeWait, PrintWriter log) {
        this.exports = exports;
        this.stateDir = stateDir;
        this.probeWait = probeWait;
        this.log = log;
    }

    /** Serves until the JVM shuts down; returns only then, and throws if the target cannot start. */
    void serveUntilStopped() throws CommandFailure {
        checkFiles();
        checkInterfaces();
        ExportStateStore state = openStateStore();
        StderrLogging.install(log);
        TargetServer server = new TargetServer(exports, state, new PacketSocketOpener(), probeWait);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> stop(server, stopped), "aoe-target shutdown");
        // before start: a signal during the start still stops the server cleanly
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.start();
        } catch (IOException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            throw StartupFailures.of(e);
        }
        announce(server, state);
        awaitUninterruptibly(stopped);
    }

    private void checkFiles() throws CommandFailure {
        for (ExportSpec spec : exports) {
            try (BackingStore store = BackingStore.open(spec)) {
                // opened and closed: the file exists and holds the window
            } catch (IOException e) {
                throw new CommandFailure(ExitStatus.EXPORT, spec.address() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Opens and closes each interface once: a missing one or a missing permission shows before any state is written. */
    private void checkInterfaces() throws CommandFailure {
        Set<String> names = new LinkedHashSet<>();
        exports.forEach(e -> names.addAll(e.interfaces()));
        for (String name : names) {
            try {
                PacketSocketLink.open(name).close();
            } catch (IOException | IllegalArgumentException e) {
                throw StartupFailures.ofInterface(name, e);
            }
        }
    }

    private ExportStateStore openStateStore() throws CommandFailure {
        try {
            return ExportStateStore.inDirectory(stateDir);
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new CommandFailure(ExitStatus.EXPORT, "cannot use the state directory " + stateDir + ": " + why
                    + "; give a writable one with --state-dir DIR", e);
        }
    }

    private void announce(TargetServer server, ExportStateStore state) {
        long pid = ProcessHandle.current().pid();
        for (Export export : server.exports()) {
            log.println("aoe-target: " + StartupBanner.exportLine(pid, export, server.links()));
        }
        log.println("aoe-target: serving " + server.exports().size() + (server.exports().size() == 1 ? " export" : " exports")
                + " on " + server.links().size() + (server.links().size() == 1 ? " interface" : " interfaces")
                + "; " + state + "; stop with SIGTERM or SIGINT");
        log.flush();
    }

    private void stop(TargetServer server, CountDownLatch stopped) {
        StringBuilder drops = new StringBuilder();
        server.linkDrops().forEach((name, n) -> drops.append(drops.length() == 0 ? "" : ", ").append(name).append(' ').append(n));
        log.println("aoe-target: stopping: " + server.counters().get(TargetEvent.FRAME_IN) + " frames in, "
                + server.counters().get(TargetEvent.REPLY_OUT) + " replies out, frames dropped by the kernel: " + drops);
        log.flush();
        server.stop();
        log.println("aoe-target: stopped; exports flushed and closed");
        log.flush();
        stopped.countDown();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
