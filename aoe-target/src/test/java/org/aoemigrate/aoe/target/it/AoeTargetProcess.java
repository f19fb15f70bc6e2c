package org.aoemigrate.aoe.target.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.aoemigrate.aoe.target.cli.AoeTargetCommand;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;

/**
 * Runs {@code aoe-target} as operators do, as its own process inside a namespace: {@code java
 * -jar} of the shaded jar Maven built in the package phase (system property
 * {@code aoe-target.cli-jar}), or the main class on the test classpath when the jar is not
 * there (an IDE run).
 */
final class AoeTargetProcess {

    /** The line the target prints once it serves. */
    static final String READY = "aoe-target: serving ";
    private static final Duration START = Duration.ofSeconds(30);
    /** How long a signalled target may take to exit; it needs milliseconds. */
    private static final Duration EXIT = Duration.ofSeconds(10);

    private AoeTargetProcess() {
    }

    /**
     * The target's command line, run through {@code env --default-signal=INT}: a shell without job
     * control starts its background commands with SIGINT ignored, their children inherit that, and
     * a JVM leaves an ignored SIGINT ignored. A test run launched so (a script's {@code &}) would
     * see the SIGINT case fail, so the target gets the disposition an operator's terminal gives it.
     */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        String jar = System.getProperty("aoe-target.cli-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            command.addAll(Netns.java(AoeTargetCommand.class, args));
            return command;
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the target and waits until it serves; fails with its output if it exits first. */
    static NetnsProcess start(Netns net, Netns.Namespace ns, String... args) throws InterruptedException {
        NetnsProcess p = net.start(ns, "aoe-target", command(args));
        p.awaitLine(READY, START);
        return p;
    }

    /** Runs the target expecting it to refuse: it must exit by itself. */
    static CommandResult refusal(Netns net, Netns.Namespace ns, String... args) {
        return net.exec(ns, START, command(args));
    }

    /** Stops the target with SIGINT (Ctrl-C), by PID, and returns how it exited. */
    static CommandResult interrupt(NetnsProcess target) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(target.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal " + target, e);
        }
        return target.waitFor(EXIT);
    }

    /** Stops the target with SIGTERM, by PID, and returns how it exited. */
    static CommandResult terminate(NetnsProcess target) throws InterruptedException {
        target.stop();
        return target.waitFor(EXIT);
    }
}
