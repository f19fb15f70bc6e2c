package org.aoemigrate.aoe.initiator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.aoemigrate.aoe.initiator.cli.AoeInitiatorCommand;
import org.aoemigrate.aoe.target.cli.AoeTargetCommand;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * A target namespace and an initiator namespace joined by one or more veth pairs
 * ({@code vT1..vTn} to {@code vI1..vIn}), an image on disk, a target serving it as e1.1 (vblade
 * or our {@code aoe-target}, each as its own process in the target namespace), and our
 * {@code aoe-initiator} command run as a process in the initiator namespace. Everything goes
 * with {@link #close()}, whatever happened.
 */
final class AoeLab implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /** The two targets the initiator must work with. */
    enum TargetKind {
        VBLADE, AOE_TARGET
    }

    final Netns net = new Netns();
    final Netns.Namespace target;
    final Netns.Namespace initiator;
    final Path image;
    final int links;
    private final Path dir;

    /** {@code links} veth pairs at {@code mtu}, and a random image of {@code imageBytes}. */
    AoeLab(Path dir, int links, int mtu, long imageBytes) throws IOException {
        this.dir = dir;
        this.links = links;
        try {
            target = net.namespace("target");
            initiator = net.namespace("initiator");
            for (int i = 1; i <= links; i++) {
                net.veth(target, "vT" + i, initiator, "vI" + i, mtu);
            }
            image = dir.resolve("disk.img");
            writeRandom(image, imageBytes, 1);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    static boolean hasVblade() {
        return Files.isExecutable(Path.of("/usr/sbin/vblade"));
    }

    /** Starts the target on every link (vblade: one process per link, as vblade serves one interface). */
    void serve(TargetKind kind) throws InterruptedException {
        if (kind == TargetKind.VBLADE) {
            for (int i = 1; i <= links; i++) {
                // -b 64: a socket buffer for 64 requests, so window 64 does not overrun vblade (probe, section 3)
                NetnsProcess p = net.start(target, "vblade" + i, List.of("vblade", "-b", "64", "1", "1", "vT" + i, image.toString()));
                p.awaitLine("e1.1,", Duration.ofSeconds(20));
            }
        } else {
            List<String> netif = new ArrayList<>();
            for (int i = 1; i <= links; i++) {
                netif.add("vT" + i);
            }
            NetnsProcess p = net.start(target, "aoe-target", Netns.java(AoeTargetCommand.class, "--state-dir",
                    dir.resolve("state").toString(), "--probe-wait", "0", "-b", "64", "1", "1", String.join(",", netif),
                    image.toString()));
            p.awaitLine("e1.1,", Duration.ofSeconds(60));
        }
    }

    /** The initiator's interface names, vI1..vIn. */
    List<String> initiatorLinks() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= links; i++) {
            names.add("vI" + i);
        }
        return names;
    }

    /** Runs {@code aoe-initiator ARGS} in the initiator namespace. */
    CommandResult aoe(String... args) {
        return net.exec(initiator, COMMAND_TIMEOUT, Netns.java(AoeInitiatorCommand.class, args));
    }

    /** Starts {@code aoe-initiator ARGS} in the background in the initiator namespace. */
    NetnsProcess startAoe(String... args) {
        return net.start(initiator, "aoe-initiator", Netns.java(AoeInitiatorCommand.class, args));
    }

    /** Runs it with {@code --json} added and parses stdout; the exit status must be {@code status}. */
    JsonNode aoeJson(int status, String... args) throws IOException {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--json");
        CommandResult r = aoe(all.toArray(String[]::new));
        assertThat(r.exitCode()).as("exit status of %s", r).isEqualTo(status);
        return JSON.readTree(r.stdout());
    }

    MacAddress mac(Netns.Namespace ns, String device) {
        return MacAddress.parse(net.exec(ns, Duration.ofSeconds(10), "cat", "/sys/class/net/" + device + "/address")
                .orThrow().stdout().strip());
    }

    /** Frames the interface received so far (its kernel counter, inside its namespace). */
    long rxPackets(Netns.Namespace ns, String device) {
        return Long.parseLong(net.exec(ns, Duration.ofSeconds(10), "cat",
                "/sys/class/net/" + device + "/statistics/rx_packets").orThrow().stdout().strip());
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

    /** {@code length} bytes of {@code file} at {@code offset}. */
    static byte[] slice(Path file, long offset, int length) {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // read on
            }
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every process and deletes the namespaces (and with them the veths). */
    @Override
    public void close() {
        net.close();
    }
}
