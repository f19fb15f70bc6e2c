package org.aoemigrate.aoe.target.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.testing.NetnsProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One session as an operator would run it: {@code aoe-target 1 1 vT disk.img} in one namespace,
 * Debian's aoetools and a raw-socket client in the other, over a veth at MTU 1500, with tshark
 * capturing the initiator side from start to end. The tests run in order and share the target;
 * the last one decodes the whole capture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AoeToolsSessionIT {

    private static final Duration TOOL = Duration.ofSeconds(30);
    private static final long SECTORS = 131072; // 64 MiB, as in the vblade probe
    private static final long SEED = 20261125;

    private Path dir;
    private Netns net;
    private Netns.Namespace targetNs;
    private Netns.Namespace initiatorNs;
    private Path image;
    private Path state;
    private TsharkCapture capture;
    private NetnsProcess target;

    @BeforeAll
    void startTargetAndCapture(@TempDir Path tempDir) throws Exception {
        Netns.requireRoot();
        dir = tempDir;
        net = new Netns();
        targetNs = net.namespace("target");
        initiatorNs = net.namespace("initiator");
        net.veth(targetNs, "vT", initiatorNs, "vI", 1500);
        image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(SECTORS * 512);
        }
        state = dir.resolve("state");
        capture = TsharkCapture.start(net, initiatorNs, "vI", dir.resolve("session.pcapng"));
        target = startTarget();
    }

    private NetnsProcess startTarget() throws InterruptedException {
        return AoeTargetProcess.start(net, targetNs, "--state-dir", state.toString(), "1", "1", "vT", image.toString());
    }

    @AfterAll
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private CommandResult inInitiator(String... command) {
        return net.exec(initiatorNs, TOOL, command);
    }

    @Test
    @Order(1)
    void logsOneLineForTheExportWithInterfaceMacMtuSectorsPerFrameAndBuffers() throws IOException {
        String mac = net.exec(targetNs, TOOL, "cat", "/sys/class/net/vT/address").orThrow().stdout().strip();
        assertThat(target.output()).containsPattern("aoe-target: pid " + target.pid() + ": e1\\.1, 131072 sectors O_RDWR buffered, "
                + Pattern.quote(image.toRealPath().toString()) + ", on vT \\(" + mac
                + ", MTU 1500, 2 sectors per frame, 16 buffers\\)");
    }

    @Test
    @Order(2)
    void aoeSancheckFindsE11With1024BytePayloads() {
        CommandResult r = inInitiator("aoe-sancheck");
        assertThat(r.stdout()).containsPattern("(?m)^e1\\.1\\s+1\\s+1024\\s+vI\\s*$");
    }

    @Test
    @Order(3)
    void aoepingGetsIdentifyWithModelSerialAndFirmware() {
        CommandResult r = inInitiator("aoeping", "-s", "3", "-I", "1", "1", "vI");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("device identify fields:")
                .containsPattern("serial_number: 1\\.1:[0-9a-f]{8}")
                .containsPattern("firmware_rev: \\d+\\.\\d+\\.\\d+")
                .contains("model: aoemigrate aoe-target");
    }

    @Test
    @Order(4)
    void aoecfgReadsSetsTestsAndForceSetsTheConfigString() {
        assertThat(aoecfg("read").strip()).isEmpty();
        assertThat(aoecfg("set", "-s", "vm-one").strip()).isEqualTo("vm-one");
        // r11 3.2: a set over a different string fails with error 4, which aoecfg prints as *badcfg*
        assertThat(aoecfg("set", "-s", "vm-two").strip()).isEqualTo("*badcfg*");
        assertThat(aoecfg("read").strip()).isEqualTo("vm-one");
        // a test that does not match gets no reply at all
        assertThat(aoecfg("test", "-s", "vm-two").strip()).isEmpty();
        assertThat(aoecfg("test", "-s", "vm-one").strip()).isEqualTo("vm-one");
        assertThat(aoecfg("prefix", "-s", "vm-").strip()).isEqualTo("vm-one");
        assertThat(aoecfg("prefix", "-s", "other").strip()).isEmpty();
        assertThat(aoecfg("fset", "-s", "vm-three").strip()).isEqualTo("vm-three");
    }

    /** aoecfg always exits 0: what it prints is the answer (empty when none came). */
    private String aoecfg(String subcommand, String... string) {
        String[] command = new String[] {"aoecfg", "-c", subcommand};
        command = concat(command, string);
        command = concat(command, new String[] {"-t", "2", "1", "1", "vI"});
        return inInitiator(command).orThrow().stdout();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    @Order(5)
    void writesOverTheSocketReadBackEqualAndLandInTheFile() throws IOException {
        CommandResult r = net.runJava(initiatorNs, TOOL, RawAoeClient.class, "vI", "1", "1", Long.toString(SEED),
                Long.toString(SECTORS), "0:1", "1:2", "4096:2", (SECTORS - 2) + ":2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("buffers 16, sectors per frame 2")
                .contains("wrote 0+1, read back equal", "wrote 1+2, read back equal", "wrote 4096+2, read back equal",
                        "wrote " + (SECTORS - 2) + "+2, read back equal")
                // ATA status DRDY|ERR, error IDNF: the first sector past the end
                .contains("beyond end: status 0x41 error 0x10");
        assertSectors(0, RawAoeClient.pattern(SEED, 0, 1));
        assertSectors(1, RawAoeClient.pattern(SEED, 1, 2));
        assertSectors(4096, RawAoeClient.pattern(SEED, 4096, 2));
        assertSectors(SECTORS - 2, RawAoeClient.pattern(SEED, SECTORS - 2, 2));
        assertSectors(3, new byte[512 * 4093]);
    }

    private void assertSectors(long lba, byte[] expected) throws IOException {
        byte[] actual = new byte[expected.length];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(lba * 512);
            f.readFully(actual);
        }
        assertThat(actual).as("sectors %d..%d of the image", lba, lba + expected.length / 512 - 1).isEqualTo(expected);
    }

    @Test
    @Order(6)
    void stopsOnSigtermWith143AndKeepsTheConfigStringAcrossARestart() throws Exception {
        CommandResult stopped = AoeTargetProcess.terminate(target);
        assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(143);
        assertThat(stopped.stdout()).contains("aoe-target: stopped; exports flushed and closed");
        assertThat(Files.readString(state.resolve("e1.1.json"))).contains("\"configStringHex\" : \"766d2d7468726565\"");

        target = startTarget();
        assertThat(aoecfg("read").strip()).isEqualTo("vm-three");
        assertThat(target.output()).contains("config string \"vm-three\"");
    }

    @Test
    @Order(7)
    void tsharkDecodesEveryFrameOfTheSessionWithoutMalformedOnes() throws Exception {
        capture.stop();
        String decoded = capture.verbose(net, initiatorNs);
        assertThat(decoded).contains("ATA over Ethernet").doesNotContainIgnoringCase("malformed");
        Map<String, Integer> kinds = capture.kinds(net, initiatorNs);
        assertThat(kinds).as("frames by kind: %s", kinds)
                .containsKeys("Query Config request", "Query Config response", "ATA 0xec request", "ATA 0xec response",
                        "ATA 0x24 request", "ATA 0x24 response", "ATA 0x34 request", "ATA 0x34 response");
        // every read and write of the raw client got exactly one reply
        assertThat(kinds.get("ATA 0x24 response")).as("%s", kinds).isEqualTo(kinds.get("ATA 0x24 request"));
        assertThat(kinds.get("ATA 0x34 response")).as("%s", kinds).isEqualTo(kinds.get("ATA 0x34 request"));
    }
}
