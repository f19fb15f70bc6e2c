package org.aoemigrate.aoe.initiator.etherdit;

import static org.aoemigrate.aoe.initiator.etherdit.EtherdHosts.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.aoemigrate.aoe.initiator.etherdit.EtherdHosts.Host;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aoe-initiator attach} against our target over veth, each host in its own network and
 * mount namespace with its own {@code /dev/etherd/e1.1}: what a hypervisor sees. Data goes
 * through the node with O_DIRECT (dd) and from QEMU (cache=none) and is checked in the target's
 * image; a reservation for another host and a dead target must fail I/O with EIO within the dead
 * time, and detach (or SIGTERM) must leave no node, loop device, mount or status file behind.
 */
class EtherdOverAoeIT {

    private static final int MIB = 1 << 20;
    private static final long IMAGE_BYTES = 64L * MIB;
    private static final Pattern ATTACHED = Pattern.compile(
            "e1\\.1 /dev/etherd/e1\\.1 -> (/dev/loop\\d+) \\(" + IMAGE_BYTES + " bytes, paths: vI->([0-9a-f:]{17})\\)");

    @TempDir
    Path temp;

    @BeforeEach
    void requirements() {
        Netns.requireRoot();
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && Files.exists(Path.of("/dev/loop-control")), "needs /dev/fuse and /dev/loop-control");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/bin/nsenter")),
                "needs unshare and nsenter (util-linux)");
    }

    @Test
    void dataWrittenOnOneHostIsReadOnTheOtherAndIsInTheImage() throws Exception {
        try (EtherdHosts lab = new EtherdHosts(temp, IMAGE_BYTES, "hosta", "hostb")) {
            Host a = lab.attach("hosta", "--dead-secs", "20");
            Host b = lab.attach("hostb", "--dead-secs", "20");
            String loopA = attachedLoop(a);
            assertThat(attachedLoop(b)).as("each host has its own loop device").isNotEqualTo(loopA);

            byte[] data = EtherdHosts.random(4 * MIB, 2);
            Path source = Files.write(temp.resolve("data"), data);
            CommandResult write = lab.on(a, EtherdHosts.COMMAND_TIMEOUT, "dd", "if=" + source, "of=" + NODE, "bs=1M", "seek=8", "oflag=direct",
                    "conv=fsync,notrunc", "status=none");
            assertThat(write.exitCode()).as(withLog(write, a)).isZero();
            assertThat(EtherdHosts.slice(lab.image, 8L * MIB, data.length)).as("the target's image").isEqualTo(data);

            Path readBack = temp.resolve("read-back");
            CommandResult read = lab.on(b, EtherdHosts.COMMAND_TIMEOUT, "dd", "if=" + NODE, "of=" + readBack, "bs=1M", "skip=8", "count=4",
                    "iflag=direct", "status=none");
            assertThat(read.exitCode()).as(withLog(read, b)).isZero();
            assertThat(Files.readAllBytes(readBack)).as("read through the other host's node").isEqualTo(data);

            CommandResult stat = lab.aoe(a, "stat");
            assertThat(stat.exitCode()).as(stat.toString()).isZero();
            assertThat(stat.stdout()).containsPattern("e1\\.1\\s+0\\.067GB\\s+vI\\s+1024\\s+up");
        }
    }

    @Test
    void qemuWithCacheNoneWritesThroughTheNodeToTheImage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "needs qemu-system-x86_64 (qemu-system-x86)");
        try (EtherdHosts lab = new EtherdHosts(temp, IMAGE_BYTES, "hypervisor")) {
            Host host = lab.attach("hypervisor", "--dead-secs", "20", "--json");
            assertThat(host.attach().output()).as("the --json report").contains("\"node\" : \"/dev/etherd/e1.1\"")
                    .contains("\"bytes\" : " + IMAGE_BYTES).containsPattern("\"loop\" : \"/dev/loop\\d+\"");
            // no guest: QEMU's own block layer opens the node (O_DIRECT) and its monitor's qemu-io writes, flushes, reads back
            String monitor = String.join("\n", "qemu-io d0 \"write -P 0x5a 2M 1M\"", "qemu-io d0 \"flush\"",
                    "qemu-io d0 \"read -P 0x5a 2M 1M\"", "quit", "");
            CommandResult qemu = lab.onWithInput(host, EtherdHosts.COMMAND_TIMEOUT, monitor, "qemu-system-x86_64", "-machine", "accel=tcg",
                    "-nographic", "-nodefaults", "-S", "-drive", "file=" + NODE + ",format=raw,cache=none,if=virtio,id=d0", "-monitor", "stdio");

            assertThat(qemu.exitCode()).as(withLog(qemu, host)).isZero();
            assertThat(qemu.stdout()).contains("wrote 1048576/1048576 bytes at offset 2097152")
                    .contains("read 1048576/1048576 bytes at offset 2097152").doesNotContain("Pattern verification failed");
            byte[] expected = new byte[MIB];
            Arrays.fill(expected, (byte) 0x5a);
            assertThat(EtherdHosts.slice(lab.image, 2L * MIB, MIB)).as("the target's image").isEqualTo(expected);
        }
    }

    @Test
    void aReservationForAnotherHostFailsWritesWithEioWhileTheHolderWrites() throws Exception {
        try (EtherdHosts lab = new EtherdHosts(temp, IMAGE_BYTES, "holder", "fenced")) {
            Host holder = lab.attach("holder", "--dead-secs", "10");
            Host fenced = lab.attach("fenced", "--dead-secs", "10");
            CommandResult reserve = lab.aoe(holder, "reserve", "e1.1", "-i", "vI", "--set", lab.mac(holder));
            assertThat(reserve.exitCode()).as(reserve.toString()).isZero();
            byte[] before = EtherdHosts.slice(lab.image, 16L * MIB, MIB);

            Path fencedData = Files.write(temp.resolve("fenced"), EtherdHosts.random(MIB, 3));
            long start = System.nanoTime();
            CommandResult refused = lab.on(fenced, EtherdHosts.COMMAND_TIMEOUT, "dd", "if=" + fencedData, "of=" + NODE, "bs=1M", "seek=16",
                    "oflag=direct", "conv=notrunc", "status=none");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(refused.stderr()).contains("Input/output error");
            assertThat(took).as("an error answer fails at once, well within the dead time").isLessThan(Duration.ofSeconds(10));
            assertThat(EtherdHosts.slice(lab.image, 16L * MIB, MIB)).as("the image after the fenced write").isEqualTo(before);

            byte[] holderData = EtherdHosts.random(MIB, 4);
            Path holderFile = Files.write(temp.resolve("holder"), holderData);
            CommandResult accepted = lab.on(holder, EtherdHosts.COMMAND_TIMEOUT, "dd", "if=" + holderFile, "of=" + NODE, "bs=1M", "seek=16",
                    "oflag=direct", "conv=fsync,notrunc", "status=none");
            assertThat(accepted.exitCode()).as(withLog(accepted, holder)).isZero();
            assertThat(EtherdHosts.slice(lab.image, 16L * MIB, MIB)).as("the holder's write").isEqualTo(holderData);

            assertThat(lab.aoe(holder, "reserve", "e1.1", "-i", "vI", "--release").exitCode()).isZero();
        }
    }

    @Test
    void aDeadTargetFailsIoAfterTheDeadTimeAndDetachThenLeavesNothingBehind() throws Exception {
        try (EtherdHosts lab = new EtherdHosts(temp, IMAGE_BYTES, "hosta", "hostb")) {
            Host a = lab.attach("hosta", "--dead-secs", "5");
            Host b = lab.attach("hostb", "--dead-secs", "5");
            String loopA = attachedLoop(a);
            String loopB = attachedLoop(b);
            // a process that keeps each host's mount namespace alive after its attach process exits, to look inside
            Process keepA = keepNamespace(a);
            Process keepB = keepNamespace(b);
            try {
                lab.stopTarget();

                long start = System.nanoTime();
                CommandResult read = lab.on(a, EtherdHosts.COMMAND_TIMEOUT, "dd", "if=" + NODE, "of=/dev/null", "bs=1M", "skip=20", "count=1",
                        "iflag=direct", "status=none");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(read.exitCode()).as(read.toString()).isNotZero();
                assertThat(read.stderr()).contains("Input/output error");
                assertThat(took).as("blocked for the dead time, then failed").isBetween(Duration.ofSeconds(4), Duration.ofSeconds(20));
                assertThat(awaitStat(lab, a, "down")).containsPattern("e1\\.1\\s+0\\.067GB\\s+vI\\s+1024\\s+down");

                CommandResult detach = lab.aoe(a, "detach");
                assertThat(detach.exitCode()).as(detach.toString()).isZero();
                assertThat(detach.stdout()).contains("e1.1 " + loopA + " detached (served by process " + a.pid() + ")");
                assertThat(a.attach().waitFor(Duration.ofSeconds(10)).exitCode()).as("detach stopped the attach process").isNotEqualTo(-1);
                assertNothingLeft(lab, keepA, a, loopA);

                assertThat(lab.terminate(b)).as("SIGTERM ends attach with 143 after detaching").isEqualTo(143);
                assertNothingLeft(lab, keepB, b, loopB);
            } finally {
                keepA.destroyForcibly();
                keepB.destroyForcibly();
            }
        }
    }

    /** A failed command's output with what the host's attach process logged (the backend's reason for an EIO). */
    private static String withLog(CommandResult result, Host host) {
        return result + "\n--- attach on " + host.name() + " printed:\n" + host.attach().output();
    }

    private static String attachedLoop(Host host) {
        Matcher m = ATTACHED.matcher(host.attach().output());
        assertThat(m.find()).as("the attach line of %s; it printed:%n%s", host.name(), host.attach().output()).isTrue();
        return m.group(1);
    }

    private static Process keepNamespace(Host host) throws IOException {
        return new ProcessBuilder("nsenter", "-t", Long.toString(host.pid()), "-m", "-n", "--", "sleep", "600")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String awaitStat(EtherdHosts lab, Host host, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String shown;
        do {
            shown = lab.aoe(host, "stat").stdout();
            if (shown.contains(" " + state)) {
                return shown;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return shown;
    }

    /** What the host's admin would check: no node, no status file, no FUSE mount in its namespace, no loop on its file. */
    private static void assertNothingLeft(EtherdHosts lab, Process keeper, Host host, String loop) throws IOException {
        Host inside = new Host(host.name(), host.namespace(), host.attach(), keeper.pid());
        CommandResult nodes = lab.on(inside, Duration.ofSeconds(10), "ls", "-A", "/dev/etherd", "/run/aoe-initiator/etherd");
        assertThat(nodes.stdout()).as("nodes and status files on %s: %s", host.name(), nodes).doesNotContain("e1.1");
        CommandResult mounts = lab.on(inside, Duration.ofSeconds(10), "cat", "/proc/self/mountinfo");
        assertThat(mounts.stdout()).as("mounts on %s", host.name()).doesNotContain("/run/aoe-initiator/fuse/");
        String fuseFile = "/run/aoe-initiator/fuse/" + host.pid() + "/";
        for (Path backing : loopBackingFiles()) {
            assertThat(Files.readString(backing)).as("%s", backing).doesNotContain(fuseFile);
        }
        CommandResult losetup = lab.on(inside, Duration.ofSeconds(10), "losetup", "-a");
        assertThat(losetup.stdout()).as("losetup -a after detaching %s", loop).doesNotContain(fuseFile);
    }

    private static List<Path> loopBackingFiles() throws IOException {
        try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
            return blocks.map(b -> b.resolve("loop/backing_file")).filter(Files::exists).toList();
        }
    }
}
