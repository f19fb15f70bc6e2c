package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.aoemigrate.aoe.initiator.AoeAddress;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attaching process dies: SIGTERM must leave nothing behind by itself; after SIGKILL,
 * {@link EtherdAttachment#cleanupLeftovers} must. The attaching JVM runs {@link EtherdAttachMain},
 * in a private mount namespace ({@code unshare -m --propagation private}) or in ours; the loop
 * device is global and the node directory is shared either way, so dd from here reaches it.
 */
class EtherdCrashIT {

    private static final long SIZE = 32L << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;
    private Path runtimeDir;
    private Path nodeDir;
    private Process child;

    @BeforeEach
    void requireRootFuseLoopAndUnshare() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: FUSE mount, loop devices, mknod");
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && Files.exists(Path.of("/dev/loop-control")), "needs /dev/fuse and /dev/loop-control");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare (util-linux)");
        runtimeDir = Files.createTempDirectory(Path.of("/run"), "aoe-etherd-it");
        nodeDir = temp.resolve("etherd");
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (runtimeDir != null) {
            EtherdAttachment.cleanupLeftovers(nodeDir, runtimeDir);
            Files.deleteIfExists(runtimeDir);
        }
    }

    @ParameterizedTest(name = "private mount namespace: {0}")
    @ValueSource(booleans = {true, false})
    void cleanupAfterSigkillLeavesNothingBehind(boolean privateNamespace) throws Exception {
        Map<String, String> attached = startAttaching(privateNamespace, "e7.3");
        Path node = Path.of(attached.get("node.e7.3"));
        LoopDevice loop = LoopDevice.of(Path.of(attached.get("loop.e7.3")));
        writeAndCheck(node, "e7.3");

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node).as("the dead process's node").exists();
        assertThat(loop.attachedName()).as("the dead process's loop").isEqualTo(Optional.of(attached.get("file.e7.3")));

        EtherdAttachment.Cleanup cleanup = EtherdAttachment.cleanupLeftovers(nodeDir, runtimeDir);

        assertThat(cleanup.loops()).contains(loop);
        assertThat(cleanup.nodes()).contains(node);
        if (!privateNamespace) { // in a private namespace the mount died with it
            assertThat(cleanup.mounts()).contains(Path.of(attached.get("file.e7.3")).getParent());
        }
        NothingLeft.assertNothingLeft(runtimeDir, nodeDir);
        assertThat(EtherdAttachment.cleanupLeftovers(nodeDir, runtimeDir).isEmpty()).as("a second cleanup finds nothing").isTrue();
    }

    @Test
    void sigtermDetachesEverythingByItself() throws Exception {
        Map<String, String> attached = startAttaching(true, "e7.3");
        writeAndCheck(Path.of(attached.get("node.e7.3")), "e7.3");

        child.toHandle().destroy(); // SIGTERM: the attachment's shutdown hook detaches

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        NothingLeft.assertNothingLeft(runtimeDir, nodeDir);
    }

    @Test
    void detachFromAnotherProcessRemovesOneDeviceThenStopsTheServer() throws Exception {
        Map<String, String> attached = startAttaching(true, "e7.3", "e7.4");
        LoopDevice first = LoopDevice.of(Path.of(attached.get("loop.e7.3")));

        var detached = ServedDevices.detach(nodeDir, runtimeDir, Set.of(AoeAddress.parse("e7.3")), Duration.ofSeconds(10));

        assertThat(detached).extracting(ServedDevices.Served::name).containsExactly(AoeAddress.parse("e7.3"));
        assertThat(Path.of(attached.get("node.e7.3"))).doesNotExist();
        assertThat(first.attachedName()).isNotEqualTo(Optional.of(attached.get("file.e7.3")));
        assertThat(child.isAlive()).as("still serving e7.4").isTrue();
        writeAndCheck(Path.of(attached.get("node.e7.4")), "e7.4");

        ServedDevices.detach(nodeDir, runtimeDir, Set.of(), Duration.ofSeconds(10));

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the server exits once it serves nothing").isTrue();
        NothingLeft.assertNothingLeft(runtimeDir, nodeDir);
    }

    @Test
    void detachLeavesAloneADeviceThatAnotherHostServes() throws Exception {
        // The attaching JVM stands for another host on this kernel: its own mount namespace and node directory.
        Map<String, String> attached = startAttaching(true, "e7.3");
        LoopDevice loop = LoopDevice.of(Path.of(attached.get("loop.e7.3")));
        Path ourNodes = Files.createDirectories(temp.resolve("our-etherd"));

        var detached = ServedDevices.detach(ourNodes, runtimeDir, Set.of(AoeAddress.parse("e7.3")), Duration.ofSeconds(10));

        assertThat(detached).as("nothing of ours was named e7.3").isEmpty();
        assertThat(loop.attachedName()).isEqualTo(Optional.of(attached.get("file.e7.3")));
        assertThat(child.isAlive()).as("the other host still serves e7.3").isTrue();
        writeAndCheck(Path.of(attached.get("node.e7.3")), "e7.3");
    }

    private Map<String, String> startAttaching(boolean privateNamespace, String... names) throws IOException {
        List<String> command = new ArrayList<>();
        if (privateNamespace) {
            command.addAll(List.of("unshare", "-m", "--propagation", "private"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                EtherdAttachMain.class.getName(), runtimeDir.toString(), nodeDir.toString(), temp.toString(), Long.toString(SIZE)));
        command.addAll(List.of(names));
        child = new ProcessBuilder(command).redirectError(temp.resolve("child.err").toFile()).start();
        Map<String, String> attached = new HashMap<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (String line = out.readLine(); line != null && !line.equals("ready") && System.nanoTime() < deadline; line = out.readLine()) {
            String[] pair = line.split("=", 2);
            attached.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        assertThat(attached).as("the attaching JVM's report; its stderr: %s", Files.readString(temp.resolve("child.err")))
                .containsKeys(Stream.of(names).map(name -> "node." + name).toArray(String[]::new));
        return attached;
    }

    private void writeAndCheck(Path node, String name) throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        Path source = Files.write(temp.resolve("source"), data);
        var dd = Shell.run(WAIT, "dd", "if=" + source, "of=" + node, "bs=1M", "oflag=direct", "status=none");
        assertThat(dd.exit()).as(dd.output()).isZero();
        byte[] stored = new byte[data.length];
        try (var in = Files.newInputStream(temp.resolve(name + ".img"))) {
            assertThat(in.readNBytes(stored, 0, stored.length)).isEqualTo(stored.length);
        }
        assertThat(stored).isEqualTo(data);
    }
}
