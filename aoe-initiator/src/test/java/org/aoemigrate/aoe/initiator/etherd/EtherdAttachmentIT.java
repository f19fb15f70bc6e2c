package org.aoemigrate.aoe.initiator.etherd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import org.aoemigrate.aoe.initiator.AoeAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The userspace /dev/etherd end to end, as root: a file-backed backend served through FUSE, a
 * loop device and a node in a temporary directory, driven with dd, sync and losetup as a user
 * would. The FUSE mount lives in the test JVM's mount namespace (a JVM cannot unshare its own:
 * it is multi-threaded), under a temporary runtime directory that every test checks is empty
 * again; {@link EtherdCrashIT} runs the attaching side in a private namespace.
 */
class EtherdAttachmentIT {

    private static final AoeAddress E1_0 = AoeAddress.parse("e1.0");
    private static final long SIZE = 64L << 20;
    private static final Duration DD = Duration.ofSeconds(60);

    @TempDir
    Path temp;
    private Path runtimeDir;
    private Path nodeDir;
    private FileBackend backend;
    private EtherdAttachment attachment;

    @BeforeEach
    void requireRootFuseAndLoop() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: FUSE mount, loop devices, mknod");
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && Files.exists(Path.of("/dev/loop-control")), "needs /dev/fuse and /dev/loop-control");
        runtimeDir = Files.createTempDirectory(Path.of("/run"), "aoe-etherd-it");
        nodeDir = temp.resolve("etherd");
        backend = new FileBackend(temp.resolve("backend.img"), SIZE);
    }

    @AfterEach
    void detachAndCheck() throws Exception {
        if (runtimeDir == null) {
            return;
        }
        try {
            if (attachment != null) {
                attachment.close();
            }
            NothingLeft.assertNothingLeft(runtimeDir, nodeDir);
        } finally {
            backend.close();
            EtherdAttachment.cleanupLeftovers(nodeDir, runtimeDir);
            Files.deleteIfExists(runtimeDir);
        }
    }

    private Path attach(BlockBackend served, Duration requestDeadline, Duration detachPatience) throws IOException {
        var settings = EtherdAttachment.Settings.defaults().withDir(nodeDir).withRuntimeDir(runtimeDir).withTimeouts(requestDeadline, detachPatience);
        attachment = EtherdAttachment.attach(Map.of(E1_0, served), settings);
        return attachment.device(E1_0).orElseThrow().node();
    }

    private Path attach() throws IOException {
        return attach(backend, Duration.ofSeconds(120), Duration.ofSeconds(30));
    }

    @Test
    void theNodeIsABlockDeviceOfTheBackendsSizeOnALoopWithDirectIo() throws Exception {
        Path node = attach();

        assertThat(node).isEqualTo(nodeDir.resolve("e1.0"));
        assertThat(Shell.run(DD, "stat", "-c", "%F", node.toString()).output().strip()).isEqualTo("block special file");
        assertThat(Shell.run(DD, "blockdev", "--getsize64", node.toString()).output().strip()).isEqualTo(Long.toString(SIZE));
        LoopDevice loop = attachment.device(E1_0).orElseThrow().loop();
        assertThat(loop.directIo()).isTrue();
        assertThat(Shell.run(DD, "losetup", "-l", "-n", "-O", "BACK-FILE,DIO", loop.device().toString()).output())
                .contains(runtimeDir.toString() + "/" + ProcessHandle.current().pid() + "/e1.0").containsPattern("\\s1\\s*$");
    }

    @Test
    void ddWritesThroughTheNodeLandInTheBackendAndReadBack() throws Exception {
        Path node = attach();
        byte[] data = randomBytes(16 << 20);
        Path source = Files.write(temp.resolve("source"), data);

        var write = Shell.run(DD, "dd", "if=" + source, "of=" + node, "bs=1M", "seek=3", "oflag=direct", "status=none");
        assertThat(write.exit()).as(write.output()).isZero();
        assertThat(readFile(temp.resolve("backend.img"), 3 << 20, data.length)).isEqualTo(data);

        Path back = temp.resolve("back");
        var read = Shell.run(DD, "dd", "if=" + node, "of=" + back, "bs=1M", "skip=3", "count=16", "iflag=direct", "status=none");
        assertThat(read.exit()).as(read.output()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }

    @Test
    void fsyncOfTheNodeReachesTheBackendAsFlush() throws Exception {
        Path node = attach();
        Files.write(temp.resolve("source"), randomBytes(1 << 20));

        int before = backend.flushes();
        var dd = Shell.run(DD, "dd", "if=" + temp.resolve("source"), "of=" + node, "bs=1M", "oflag=direct", "conv=fsync", "status=none");
        assertThat(dd.exit()).as(dd.output()).isZero();
        int afterDd = backend.flushes();
        var sync = Shell.run(DD, "sync", node.toString()); // coreutils sync FILE: fsync(2) of the block device
        assertThat(sync.exit()).as(sync.output()).isZero();

        assertThat(afterDd).as("flushes after dd conv=fsync").isGreaterThan(before);
        assertThat(backend.flushes()).as("flushes after sync NODE").isGreaterThan(afterDd);
    }

    @Test
    void aFailingBackendGivesEioToDdInsteadOfAHang() throws Exception {
        Path node = attach();
        backend.failWith("the AoE target stopped answering (test)");

        var read = Shell.run(DD, "dd", "if=" + node, "of=/dev/null", "bs=1M", "count=1", "iflag=direct", "status=none");
        var write = Shell.run(DD, "dd", "if=/dev/zero", "of=" + node, "bs=1M", "count=1", "oflag=direct", "status=none");

        assertThat(read.timedOut()).isFalse();
        assertThat(read.exit()).isNotZero();
        assertThat(read.output()).contains("Input/output error");
        assertThat(write.timedOut()).isFalse();
        assertThat(write.exit()).isNotZero();
        assertThat(write.output()).contains("Input/output error");
    }

    @Test
    void requestsAreLargerThanLibfuse2sAndArriveSeveralAtOnce() throws Exception {
        RecordingBackend recording = new RecordingBackend(backend, 20);
        Path node = attach(recording, Duration.ofSeconds(120), Duration.ofSeconds(30));
        byte[] data = randomBytes(32 << 20);
        Path source = Files.write(temp.resolve("source"), data);

        List<Process> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // four writers, 8 MiB each, side by side
            writers.add(Shell.start("dd", "if=" + source, "of=" + node, "bs=1M", "count=8", "skip=" + 8 * i, "seek=" + 8 * i,
                    "oflag=direct", "conv=notrunc", "status=none"));
        }
        for (Process writer : writers) {
            var result = Shell.finish(writer, DD);
            assertThat(result.exit()).as(result.output()).isZero();
        }

        assertThat(readFile(temp.resolve("backend.img"), 0, data.length)).isEqualTo(data);
        assertThat(recording.mostInFlight()).as("requests in the backend at once (ASYNC_DIO)").isGreaterThan(1);
        // The loop splits a 1 MiB request where its segments end (128 per request), so "more than
        // libfuse 2's 128 KiB" is what holds through the loop; on the FUSE file itself 1 MiB arrives whole.
        assertThat(recording.largestRequest()).isGreaterThan(128 << 10);
        Path file = attachment.device(E1_0).orElseThrow().file();
        var direct = Shell.run(DD, "dd", "if=" + file, "of=/dev/null", "bs=1M", "count=4", "iflag=direct", "status=none");
        assertThat(direct.exit()).as(direct.output()).isZero();
        assertThat(recording.largestRequest()).isEqualTo(1 << 20);
    }

    @Test
    void qemuWithCacheNoneWritesFlushesAndReadsBackAPattern() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-io")), "needs qemu-io (qemu-utils)");
        Path node = attach();

        int before = backend.flushes();
        var qemu = Shell.run(DD, "qemu-io", "-f", "raw", "-t", "none", "-i", "native", "-c", "write -P 0xa5 1M 4M", "-c", "flush",
                "-c", "read -P 0xa5 1M 4M", node.toString());

        assertThat(qemu.exit()).as(qemu.output()).isZero();
        assertThat(qemu.output()).doesNotContain("Pattern verification failed");
        assertThat(backend.flushes()).as("QEMU's flush reaches the backend").isGreaterThan(before);
        byte[] stored = readFile(temp.resolve("backend.img"), 1 << 20, 4 << 20);
        byte[] expected = new byte[4 << 20];
        java.util.Arrays.fill(expected, (byte) 0xa5);
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void closeRemovesNodeLoopAndMountAndCanBeRepeated() throws Exception {
        Path node = attach();
        LoopDevice loop = attachment.device(E1_0).orElseThrow().loop();
        Path mountpoint = EtherdAttachment.mountpointOf(runtimeDir, ProcessHandle.current().pid());
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(mountpoint + " ").contains(FuseServer.FS_TYPE);

        attachment.close();
        attachment.close();

        assertThat(node).doesNotExist();
        assertThat(loop.attachedName()).isNotEqualTo(java.util.Optional.of(mountpoint.resolve("e1.0").toString()));
        NothingLeft.assertNothingLeft(runtimeDir, nodeDir);
    }

    @Test
    void aHungBackendDoesNotWedgeDetachWhileTheDeviceIsInUse() throws Exception {
        Path node = attach(backend, Duration.ofSeconds(120), Duration.ofSeconds(2));
        CountDownLatch release = backend.hang();
        try {
            Process reader = Shell.start("dd", "if=" + node, "of=/dev/null", "bs=1M", "count=1", "iflag=direct", "status=none");
            for (long deadline = System.nanoTime() + DD.toNanos(); backend.hanging() == 0 && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
            }
            assertThat(backend.hanging()).as("dd's read reached the hung backend").isPositive();
            assertThat(reader.isAlive()).as("dd waits on the hung backend").isTrue();

            attachment.close(); // dd holds the loop, so the mount is busy: detached lazily and the connection aborted

            var result = Shell.finish(reader, Duration.ofSeconds(10));
            assertThat(result.timedOut()).isFalse();
            assertThat(result.output()).contains("Input/output error");
        } finally {
            release.countDown();
        }
    }

    @Test
    void theWatchdogFailsARequestPastTheDeadline() throws Exception {
        Path node = attach(backend, Duration.ofSeconds(2), Duration.ofSeconds(30));
        CountDownLatch release = backend.hang();
        try {
            var result = Shell.run(Duration.ofSeconds(20), "dd", "if=" + node, "of=/dev/null", "bs=1M", "count=1", "iflag=direct", "status=none");

            assertThat(result.timedOut()).isFalse();
            assertThat(result.output()).contains("Input/output error");
        } finally {
            release.countDown();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readFile(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // until full
            }
            return buffer.array();
        }
    }
}
