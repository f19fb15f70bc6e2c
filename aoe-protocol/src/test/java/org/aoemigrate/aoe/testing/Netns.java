package org.aoemigrate.aoe.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces for integration tests, torn down whatever happens: a test makes one
 * {@code Netns} in try-with-resources, asks it for namespaces, joins them with veth pairs and
 * runs commands and our own Java mains inside them. {@link #close()} stops every process it
 * started (by PID: SIGTERM, then SIGKILL after a grace period) and deletes every namespace,
 * which also deletes their veths; a JVM shutdown hook does the same for instances a crash left
 * open, and a new instance deletes namespaces whose creating JVM is gone.
 *
 * <p>Everything happens inside namespaces named {@code aoemt-<pid>-<n>-<role>}: veth pairs are
 * created directly inside them ({@code ip -n A link add ... peer ... netns B}), so no interface
 * ever exists in the machine's own namespace, even for a moment.
 *
 * <pre>{@code
 * Netns.requireRoot();
 * try (Netns net = new Netns()) {
 *     Netns.Namespace target = net.namespace("target");
 *     Netns.Namespace host = net.namespace("host");
 *     net.veth(target, "vT", host, "vH", 1500);
 *     NetnsProcess server = net.startJava(target, MyServer.class, "vT");
 *     server.awaitLine("READY", Duration.ofSeconds(20));
 *     CommandResult r = net.runJava(host, Duration.ofSeconds(30), MyClient.class, "vH");
 * }
 * }</pre>
 */
public final class Netns implements AutoCloseable {

    /** Every namespace the harness makes starts with this, so they are easy to find and sweep. */
    public static final String PREFIX = "aoemt-";

    /** A network namespace made by this harness. */
    public record Namespace(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern OWNED_NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-\\d+-.*");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Netns> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Netns::closeQuietly), "netns-teardown"));
    }

    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<NetnsProcess> processes = new ArrayList<>();
    private final Path logs;
    private boolean closed;

    public Netns() {
        sweepOrphans();
        try {
            logs = Files.createTempDirectory(PREFIX + "logs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OPEN.add(this);
    }

    /** True if this JVM runs as root (uid 0), which namespaces and raw sockets need. */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Skips the calling test (a JUnit assumption) unless it runs as root with iproute2 installed. */
    public static void requireRoot() {
        Assumptions.assumeTrue(isRoot(), "needs root: network namespaces and raw sockets (CI runs as root)");
        Assumptions.assumeTrue(hasIp(), "needs the ip command (Debian package iproute2)");
    }

    private static boolean hasIp() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "ip")));
    }

    /**
     * Creates a namespace with loopback up. {@code role} (letters and digits) ends its name and
     * says what it plays in the test, e.g. "target".
     */
    public synchronized Namespace namespace(String role) {
        ensureOpen();
        if (!role.matches("[a-zA-Z0-9]{1,20}")) {
            throw new IllegalArgumentException("role '" + role + "' must be 1-20 letters or digits");
        }
        String name = PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-"
                + role.toLowerCase(Locale.ROOT);
        ip(List.of("ip", "netns", "add", name));
        Namespace ns = new Namespace(name);
        namespaces.add(ns);
        ip(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        return ns;
    }

    /**
     * Creates a veth pair with one end in each namespace, both with the given MTU and up. Names
     * are interface names inside the namespaces (at most 15 characters) and may repeat across
     * tests, since each test has its own namespaces.
     */
    public void veth(Namespace a, String nameInA, Namespace b, String nameInB, int mtu) {
        owned(a);
        owned(b);
        ip(List.of("ip", "-n", a.name(), "link", "add", nameInA, "mtu", Integer.toString(mtu), "type", "veth",
                "peer", "name", nameInB, "netns", b.name(), "mtu", Integer.toString(mtu)));
        linkUp(a, nameInA);
        linkUp(b, nameInB);
    }

    public void setMtu(Namespace ns, String device, int mtu) {
        ip(List.of("ip", "-n", owned(ns).name(), "link", "set", device, "mtu", Integer.toString(mtu)));
    }

    public void linkUp(Namespace ns, String device) {
        ip(List.of("ip", "-n", owned(ns).name(), "link", "set", device, "up"));
    }

    /** Takes a link down, e.g. mid-test to simulate a pulled cable (the veth peer loses carrier). */
    public void linkDown(Namespace ns, String device) {
        ip(List.of("ip", "-n", owned(ns).name(), "link", "set", device, "down"));
    }

    /** Runs a command inside the namespace and waits for it, killing it after {@code timeout}. */
    public CommandResult exec(Namespace ns, Duration timeout, String... command) {
        return exec(ns, timeout, List.of(command));
    }

    public CommandResult exec(Namespace ns, Duration timeout, List<String> command) {
        return run(inside(owned(ns), command), timeout);
    }

    /**
     * Starts a command in the background inside the namespace; {@link #close()} stops it if the
     * test does not. {@code label} names it in messages and in its log file.
     */
    public synchronized NetnsProcess start(Namespace ns, String label, List<String> command) {
        ensureOpen();
        List<String> full = inside(owned(ns), command);
        Path log = logs.resolve(label + "-" + (processes.size() + 1) + ".log");
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            NetnsProcess started = new NetnsProcess(label + " in " + ns, full, p, log);
            processes.add(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", full), e);
        }
    }

    /** Runs a Java main class from the test classpath inside the namespace and waits for it. */
    public CommandResult runJava(Namespace ns, Duration timeout, Class<?> mainClass, String... args) {
        return exec(ns, timeout, java(mainClass, args));
    }

    /** Starts a Java main class from the test classpath inside the namespace, in the background. */
    public NetnsProcess startJava(Namespace ns, Class<?> mainClass, String... args) {
        return start(ns, mainClass.getSimpleName(), java(mainClass, args));
    }

    /**
     * The command line that runs {@code mainClass} with this JVM's java and classpath, so the
     * child sees the same classes as the test (under failsafe the classpath is a manifest-only
     * jar, which {@code -cp} honours). A small heap keeps several children cheap.
     */
    public static List<String> java(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The processes started so far, for tests that report on them. */
    public synchronized List<NetnsProcess> processes() {
        return List.copyOf(processes);
    }

    /**
     * Stops every process started here (by PID, SIGTERM then SIGKILL) and deletes the namespaces.
     * Every step runs even if an earlier one fails; failures are reported together at the end.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        List<RuntimeException> failures = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (Namespace ns : namespaces) {
            try {
                ip(List.of("ip", "netns", "delete", ns.name()));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        deleteLogs();
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("netns teardown failed " + failures.size() + " time(s)");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("netns teardown: " + e);
        }
    }

    private void deleteLogs() {
        try (Stream<Path> files = Files.walk(logs)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("netns teardown: cannot delete " + logs + ": " + e);
        }
    }

    /**
     * Deletes {@code aoemt-<pid>-...} namespaces whose creating JVM is no longer running (one
     * killed before its hooks ran), after killing, by PID, the processes still inside them.
     * Namespaces of live JVMs, and names of any other form, are left alone: parallel test runs
     * share the machine.
     */
    private static void sweepOrphans() {
        Path dir = Path.of("/run/netns");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).forEach(name -> {
                Matcher m = OWNED_NAME.matcher(name);
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    run(List.of("ip", "netns", "pids", name), IP_TIMEOUT).stdout().lines()
                            .map(String::strip).filter(pid -> pid.matches("\\d+"))
                            .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
                    run(List.of("ip", "netns", "delete", name), IP_TIMEOUT);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private Namespace owned(Namespace ns) {
        ensureOpen();
        if (!namespaces.contains(ns)) {
            throw new IllegalArgumentException(ns + " was not made by this Netns; only its own namespaces are touched");
        }
        return ns;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Netns is closed");
        }
    }

    private static List<String> inside(Namespace ns, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        full.addAll(command);
        return full;
    }

    private static void ip(List<String> command) {
        run(command, IP_TIMEOUT).orThrow();
    }

    /** Runs a command to completion with output captured through files (no pipe can fill up). */
    private static CommandResult run(List<String> command, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(PREFIX + "out-", ".txt");
            err = Files.createTempFile(PREFIX + "err-", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "; it printed:\n" + Files.readString(out) + Files.readString(err));
            }
            return new CommandResult(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            for (Path p : new Path[] {out, err}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }
}
