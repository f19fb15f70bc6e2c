package org.aoemigrate.aoe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A process started in the background inside a namespace by {@link Netns#start}. Its stdout and
 * stderr go to one log file, so it can never block on a full pipe and its output survives it.
 * {@link Netns#close()} stops it if the test has not.
 */
public final class NetnsProcess {

    /** How long a stopped process gets between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(3);

    private final String label;
    private final List<String> command;
    private final Process process;
    private final Path log;

    NetnsProcess(String label, List<String> command, Process process, Path log) {
        this.label = label;
        this.command = command;
        this.process = process;
        this.log = log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far, stdout and stderr interleaved. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logFile() {
        return log;
    }

    /**
     * Waits until a line of output contains {@code text} (e.g. a READY line a test main prints
     * once its socket is open).
     *
     * @throws IllegalStateException if the process exits or the time runs out first, with its output
     */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        return awaitLine(line -> line.contains(text), "a line containing '" + text + "'", timeout);
    }

    public String awaitLine(Predicate<String> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean exited = !process.isAlive();
            for (String line : output().split("\n")) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (exited) {
                throw new IllegalStateException(this + " exited with " + process.exitValue()
                        + " before printing " + what + "; it printed:\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(this + " did not print " + what + " within " + timeout
                        + "; it printed:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the process to exit by itself; kills it if it does not within the timeout. */
    public CommandResult waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            stop();
            throw new IllegalStateException(this + " did not finish within " + timeout + "; it printed:\n" + output());
        }
        return new CommandResult(command, process.exitValue(), output(), "");
    }

    /**
     * Stops the process and any children it started, by PID: SIGTERM, then SIGKILL after
     * {@link #GRACE}. Does nothing if it has exited.
     */
    public void stop() {
        process.descendants().forEach(NetnsProcess::terminate);
        terminate(process.toHandle());
    }

    private static void terminate(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (!exitsWithinGrace(handle)) {
            handle.destroyForcibly();
            exitsWithinGrace(handle);
        }
    }

    private static boolean exitsWithinGrace(ProcessHandle handle) {
        try {
            handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !handle.isAlive();
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + ")";
    }
}
