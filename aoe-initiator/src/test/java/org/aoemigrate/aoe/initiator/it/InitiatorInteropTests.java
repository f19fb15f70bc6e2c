package org.aoemigrate.aoe.initiator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.aoe.initiator.cli.ExitStatus;
import org.aoemigrate.aoe.testing.CommandResult;
import org.aoemigrate.aoe.testing.Netns;
import org.aoemigrate.aoe.wire.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our {@code aoe-initiator} command, run as a process in its own namespace, against a target run
 * as a process in another, over veth: discovery, IDENTIFY, data verified against the image file,
 * the config string and the reservation. Subclasses choose the target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InitiatorInteropTests {

    static final long IMAGE = 32L << 20;

    Path tmp;

    AoeLab lab;
    MacAddress targetMac;

    abstract AoeLab.TargetKind kind();

    @BeforeAll
    void startTarget(@TempDir Path dir) throws Exception {
        Netns.requireRoot();
        tmp = dir;
        lab = new AoeLab(tmp, 1, 1500, IMAGE);
        lab.serve(kind());
        targetMac = lab.mac(lab.target, "vT1");
    }

    @AfterAll
    void stopTarget() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void discoverFindsTheExportWithItsPathAndPayloadAndAsksTheDriverToo() throws IOException {
        Path devDir = Files.createDirectories(tmp.resolve("etherd"));
        Files.createFile(devDir.resolve("discover")); // stands in for the aoe driver's character device

        JsonNode found = lab.aoeJson(0, "discover", "-i", "vI1", "--dev-dir", devDir.toString());

        assertThat(Files.readString(devDir.resolve("discover"))).isEqualTo("\n");

        assertThat(found).hasSize(1);
        JsonNode device = found.get(0);
        assertThat(device.get("device").asText()).isEqualTo("e1.1");
        assertThat(device.get("payload").asInt()).isEqualTo(1024); // (1500 - 36) / 512 = 2 sectors
        assertThat(device.get("paths")).hasSize(1);
        assertThat(device.get("paths").get(0).get("netif").asText()).isEqualTo("vI1");
        assertThat(device.get("paths").get(0).get("mac").asText()).isEqualTo(targetMac.toString());
    }

    @Test
    void identifyReportsTheImagesSize() throws IOException {
        JsonNode id = lab.aoeJson(0, "identify", "e1.1", "-i", "vI1");

        assertThat(id.get("sectors").asLong()).isEqualTo(IMAGE / 512);
        assertThat(id.get("bytes").asLong()).isEqualTo(IMAGE);
        assertThat(id.get("lba48").asBoolean()).isTrue();
        assertThat(id.get("serial").asText()).startsWith("1.1:");
    }

    @Test
    void writesLandInTheImageAndReadsReturnIt() throws IOException {
        Path in = tmp.resolve("in.bin");
        AoeLab.writeRandom(in, 1 << 20, 42);
        long offset = 3L << 20;

        CommandResult write = lab.aoe("write", "e1.1", "--offset", "3M", "--in", in.toString(), "-i", "vI1");
        assertThat(write.exitCode()).as("%s", write).isZero();
        assertThat(write.stdout()).startsWith("e1.1: wrote 1048576 bytes at offset 3145728 from " + in);
        assertThat(AoeLab.slice(lab.image, offset, 1 << 20)).isEqualTo(Files.readAllBytes(in));

        // a read across the written region, and one of the last sectors, against the file itself
        Path out = tmp.resolve("out.bin");
        CommandResult read = lab.aoe("read", "e1.1", "--offset", Long.toString(offset - 4096), "--length", "2M",
                "--out", out.toString(), "-i", "vI1");
        assertThat(read.exitCode()).as("%s", read).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(AoeLab.slice(lab.image, offset - 4096, 2 << 20));

        CommandResult tail = lab.aoe("read", "e1.1", "--offset", Long.toString(IMAGE - 64 * 1024), "--length", "64k",
                "--out", out.toString(), "-i", "vI1");
        assertThat(tail.exitCode()).as("%s", tail).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(AoeLab.slice(lab.image, IMAGE - 64 * 1024, 64 * 1024));
    }

    @Test
    void aReadPastTheEndIsRefusedBeforeItIsSent() {
        CommandResult r = lab.aoe("read", "e1.1", "--offset", Long.toString(IMAGE - 512), "--length", "1024",
                "--out", tmp.resolve("x").toString(), "-i", "vI1");

        assertThat(r.exitCode()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(r.stderr()).contains("e1.1: bytes " + (IMAGE - 512) + " to " + (IMAGE + 512)
                + " lie beyond the end of the device");
    }

    @Test
    void theConfigStringIsSetTestedAndKept() throws IOException {
        assertThat(lab.aoe("config", "e1.1", "--force-set", "", "-i", "vI1").exitCode()).isZero();

        JsonNode set = lab.aoeJson(0, "config", "e1.1", "--set", "id=vm1", "-i", "vI1");
        assertThat(set.get("config").asText()).isEqualTo("id=vm1");
        assertThat(lab.aoeJson(0, "config", "e1.1", "-i", "vI1").get("config").asText()).isEqualTo("id=vm1");

        CommandResult other = lab.aoe("config", "e1.1", "--set", "id=vm2", "-i", "vI1");
        assertThat(other.exitCode()).isEqualTo(ExitStatus.REFUSED.code());
        assertThat(other.stderr()).contains("AoE error 4").contains("\"id=vm1\"");

        assertThat(lab.aoe("config", "e1.1", "--test", "id=vm1", "-i", "vI1").exitCode()).isZero();
        assertThat(lab.aoe("config", "e1.1", "--prefix", "id=", "-i", "vI1").exitCode()).isZero();
        CommandResult mismatch = lab.aoe("config", "e1.1", "--test", "id=vm2", "-i", "vI1");
        assertThat(mismatch.exitCode()).isEqualTo(ExitStatus.NO_ANSWER.code());
        assertThat(mismatch.stderr()).contains("e1.1: the config string does not equal \"id=vm2\"");

        assertThat(lab.aoeJson(0, "config", "e1.1", "--force-set", "id=vm2", "-i", "vI1").get("config").asText())
                .isEqualTo("id=vm2");
    }

    @Test
    void aReservationToAnotherHostLocksThisOneOutUntilForceReleased() throws IOException {
        MacAddress other = MacAddress.parse("02:00:00:00:00:77");
        try {
            JsonNode set = lab.aoeJson(0, "reserve", "e1.1", "--set", other.toString(), "-i", "vI1");
            assertThat(set.get("reservedTo")).hasSize(1);
            assertThat(set.get("reservedTo").get(0).asText()).isEqualTo(other.toString());

            CommandResult read = lab.aoe("read", "e1.1", "--offset", "0", "--length", "4k", "--out",
                    tmp.resolve("r").toString(), "-i", "vI1", "--timeout", "5");
            assertThat(read.exitCode()).isEqualTo(ExitStatus.REFUSED.code());
            assertThat(read.stderr()).contains("AoE error 6 (target reserved)");

            CommandResult release = lab.aoe("reserve", "e1.1", "--release", "-i", "vI1");
            assertThat(release.exitCode()).isEqualTo(ExitStatus.REFUSED.code());
        } finally {
            assertThat(lab.aoeJson(0, "reserve", "e1.1", "--release", "--force", "-i", "vI1").get("reservedTo")).isEmpty();
        }
        assertThat(lab.aoe("read", "e1.1", "--offset", "0", "--length", "4k", "--out", tmp.resolve("r").toString(),
                "-i", "vI1").exitCode()).isZero();
    }

    @Test
    void aDeviceThatIsNotThereIsOneClearLine() {
        CommandResult r = lab.aoe("identify", "e9.9", "-i", "vI1", "--wait", "1");

        assertThat(r.exitCode()).isEqualTo(ExitStatus.NO_ANSWER.code());
        assertThat(r.stderr().strip()).isEqualTo("aoe-initiator: e9.9: no answer on vI1 within 1 s; is the target up"
                + " and on this segment, and does its mask list admit this host?");
    }

    @Test
    void statProbeShowsTheExportAsAoeStatWould() {
        CommandResult r = lab.aoe("stat", "--probe", "-i", "vI1");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("      e1.1         0.033GB        vI1 1024  up            \n");
    }
}
