package org.aoemigrate.aoe.initiator.etherdit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aoemigrate.aoe.initiator.cli.AoeInitiatorCommand;
import org.aoemigrate.aoe.target.cli.AoeTargetCommand;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;

/**
 * A target namespace serving one image as e1.1 (our {@code aoe-target}) on one veth per host, and
 * host namespaces ({@code vI} each) that run {@code aoe-initiator attach} the way a hypervisor
 * would: in its own mount namespace ({@code unshare -m --propagation private}) with its own
 * {@code /dev/etherd} and {@code /run/aoe-initiator} (tmpfs), so each host has the real
 * {@code /dev/etherd/e1.1}. Commands run "on a host" enter the attach process's mount and network
 * namespaces with nsenter. {@link #close()} stops everything and deletes the namespaces.
 */
final class EtherdHosts implements AutoCloseable {

    static final Path NODE = Path.of("/dev/etherd/e1.1");
    static final Path RUN_DIR = Path.of("/run/aoe-initiator");
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern READY = Pattern.compile("ready: .* by process (\\d+)");

    /** One host: its namespace, its attach process, and the pid whose namespaces commands enter. */
    record Host(String name, Netns.Namespace namespace, NetnsProcess attach, long pid) {
    }

    final Netns net = new Netns();
    final Netns.Namespace target;
    final Path image;
    private final Path dir;
    private final Map<String, Netns.Namespace> hostNamespaces = new LinkedHashMap<>();
    private final List<Host> hosts = new ArrayList<>();
    private final boolean madeDevEtherd;
    private final boolean madeRunDir;
    private NetnsProcess targetProcess;

    /** A target and one namespace per host name, each joined to the target by its own veth; a random image. */
    EtherdHosts(Path dir, long imageBytes, String... hostNames) throws IOException {
        this.dir = dir;
        // each host mounts its own tmpfs on these; the directories must exist to mount on
        madeDevEtherd = !Files.isDirectory(NODE.getParent());
        madeRunDir = !Files.isDirectory(RUN_DIR);
        try {
            Files.createDirectories(NODE.getParent());
            Files.createDirectories(RUN_DIR);
            target = net.namespace("target");
            List<String> targetLinks = new ArrayList<>();
            for (String host : hostNames) {
                Netns.Namespace ns = net.namespace(host);
                String link = "vT" + host;
                net.veth(target, link, ns, "vI", 1500);
                targetLinks.add(link);
                hostNamespaces.put(host, ns);
            }
            image = dir.resolve("disk.img");
            writeRandom(image, imageBytes, 1);
            targetProcess = net.start(target, "aoe-target", Netns.java(AoeTargetCommand.class, "--state-dir", dir.resolve("state").toString(),
                    "--probe-wait", "0", "-b", "64", "1", "1", String.join(",", targetLinks), image.toString()));
            targetProcess.awaitLine("e1.1,", Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code aoe-initiator attach -i vI ARGS} on the host and waits for its ready line. */
    Host attach(String hostName, String... args) throws InterruptedException {
        Netns.Namespace ns = hostNamespaces.get(hostName);
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o mode=0755,size=1m aoemt-etherd /dev/etherd"
                        + " && mount -t tmpfs -o mode=0755,size=1m aoemt-run /run/aoe-initiator && exec \"$@\"", "attach"));
        List<String> attach = new ArrayList<>(List.of("attach", "-i", "vI"));
        attach.addAll(List.of(args));
        command.addAll(Netns.java(AoeInitiatorCommand.class, attach.toArray(String[]::new)));
        NetnsProcess process = net.start(ns, "attach-" + hostName, command);
        Matcher ready = READY.matcher(process.awaitLine(READY.asPredicate(), "the ready line", Duration.ofSeconds(90)));
        assertThat(ready.find()).isTrue();
        Host host = new Host(hostName, ns, process, Long.parseLong(ready.group(1)));
        hosts.add(host);
        return host;
    }

    /** Runs a command on the host: in the attach process's mount and network namespaces. */
    CommandResult on(Host host, Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(host.pid()), "-m", "-n", "--"));
        full.addAll(List.of(command));
        return run(full, timeout, null);
    }

    /** Runs a command on the host with {@code input} on its stdin. */
    CommandResult onWithInput(Host host, Duration timeout, String input, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(host.pid()), "-m", "-n", "--"));
        full.addAll(List.of(command));
        return run(full, timeout, input);
    }

    /** {@code aoe-initiator ARGS} on the host. */
    CommandResult aoe(Host host, String... args) {
        List<String> command = new ArrayList<>(Netns.java(AoeInitiatorCommand.class, args));
        return on(host, COMMAND_TIMEOUT, command.toArray(String[]::new));
    }

    /** The host's MAC on its storage link. */
    String mac(Host host) {
        return on(host, Duration.ofSeconds(10), "cat", "/sys/class/net/vI/address").orThrow().stdout().strip();
    }

    /** Stops the target (SIGTERM, then SIGKILL): from now on nothing answers. */
    void stopTarget() {
        targetProcess.stop();
    }

    /**
     * Sends the host's attach process SIGTERM and waits for it to exit: what a systemd stop does.
     *
     * @return its exit status (143: ended by SIGTERM, after detaching)
     */
    int terminate(Host host) throws InterruptedException {
        ProcessHandle handle = ProcessHandle.of(host.pid()).orElse(null);
        if (handle != null) {
            handle.destroy();
        }
        return host.attach().waitFor(Duration.ofSeconds(90)).exitCode();
    }

    /** Stops the attach processes the way a host would (SIGTERM, time to detach), then everything else. */
    @Override
    public void close() {
        try {
            for (Host host : hosts) {
                if (host.attach().isAlive()) {
                    try {
                        terminate(host);
                    } catch (InterruptedException | RuntimeException e) {
                        // Netns.close() below kills it; cleanupLeftovers of the next attach removes what it left
                    }
                }
            }
            net.close();
        } finally {
            // only if empty: someone may have started using them meanwhile
            if (madeDevEtherd) {
                NODE.getParent().toFile().delete();
            }
            if (madeRunDir) {
                RUN_DIR.toFile().delete();
            }
        }
    }

    static void writeRandom(Path file, long bytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - done));
            }
        }
    }

    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** {@code length} bytes of {@code file} at {@code offset}. */
    static byte[] slice(Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // read on
            }
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to completion with output through files (no pipe can fill up), killed at the timeout. */
    static CommandResult run(List<String> command, Duration timeout, String input) {
        try {
            Path out = Files.createTempFile("aoemt-etherd-out-", ".txt");
            Path err = Files.createTempFile("aoemt-etherd-err-", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
                Process p = builder.start();
                if (input != null) {
                    p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + "; it printed:\n"
                            + Files.readString(out) + Files.readString(err));
                }
                return new CommandResult(command, p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
