package org.aoemigrate.aoe.initiator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code aoe-initiator check} as the orchestrator runs it on a destination host: our target
 * serves the image as e1.1 with the config string {@code id=vm1}; the "device node" is a loop
 * device over the same image (the stand-in for {@code /dev/etherd/e1.1}), made in a temporary
 * {@code --dev-dir}. The check passes on that setup and names the failing part when the id, the
 * size, the MAC or the node is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommandIT {

    static final long IMAGE = 16L << 20;

    Path tmp;
    AoeLab lab;
    String loop;
    Path devDir;
    MacAddress targetMac;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        Netns.requireRoot();
        tmp = dir;
        lab = new AoeLab(tmp, 1, 1500, IMAGE);
        try {
            lab.serve(AoeLab.TargetKind.AOE_TARGET);
            targetMac = lab.mac(lab.target, "vT1");
            assertThat(lab.aoe("config", "e1.1", "--set", "id=vm1", "-i", "vI1").exitCode()).isZero();
            loop = run("losetup", "--find", "--show", lab.image.toString()).stdout().strip();
            devDir = Files.createDirectories(tmp.resolve("etherd"));
            String[] number = run("stat", "-L", "-c", "%Hr %Lr", loop).stdout().strip().split(" ");
            run("mknod", devDir.resolve("e1.1").toString(), "b", number[0], number[1]);
        } catch (Exception | AssertionError e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    void tearDown() {
        try {
            if (loop != null) {
                run("losetup", "--detach", loop);
                loop = null;
            }
        } finally {
            if (lab != null) {
                lab.close();
                lab = null;
            }
        }
    }

    private CommandResult run(String... command) {
        // a command of the machine's own namespace (loop devices are not per namespace)
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes());
            String err = new String(p.getErrorStream().readAllBytes());
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new CommandResult(List.of(command), p.exitValue(), out, err).orThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode check(int status, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("check", "e1.1", "-i", "vI1", "--dev-dir", devDir.toString(),
                "--wait", "2"));
        args.addAll(List.of(extra));
        return lab.aoeJson(status, args.toArray(String[]::new));
    }

    /** Part name to outcome, in report order. */
    private static Map<String, String> outcomes(JsonNode report) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        report.get("parts").forEach(p -> outcomes.put(p.get("part").asText(), p.get("outcome").asText()));
        return outcomes;
    }

    private static String detail(JsonNode report, String part) {
        for (JsonNode p : report.get("parts")) {
            if (p.get("part").asText().equals(part)) {
                return p.get("detail").asText();
            }
        }
        throw new AssertionError("no part " + part + " in " + report);
    }

    @Test
    void passesWhenTheHostSeesTheRightDisk() throws IOException {
        JsonNode report = check(0, "--expect-id", "vm1", "--expect-size", Long.toString(IMAGE), "--expect-mac",
                targetMac.toString());

        assertThat(report.get("passed").asBoolean()).isTrue();
        assertThat(outcomes(report)).containsExactly(Map.entry("node", "pass"), Map.entry("driver", "skip"),
                Map.entry("answer", "pass"), Map.entry("identity", "pass"), Map.entry("size", "pass"),
                Map.entry("read", "pass"));
        assertThat(detail(report, "read")).isEqualTo("read sectors 0 and " + (IMAGE / 512 - 1) + " through "
                + devDir.resolve("e1.1") + " with O_DIRECT");
    }

    @Test
    void theTextFormSaysWhichPartFailedAndWhy() {
        CommandResult r = lab.aoe("check", "e1.1", "-i", "vI1", "--dev-dir", devDir.toString(), "--expect-id", "vm2");

        assertThat(r.exitCode()).isEqualTo(ExitStatus.CHECK_FAILED.code());
        assertThat(r.stdout()).contains("PASS node     " + devDir.resolve("e1.1") + " is block device ")
                .contains("FAIL identity export id is vm1, expected vm2: this is another export under the same name")
                .endsWith("e1.1: check FAILED: identity\n");
    }

    @Test
    void failsIdentityWhenTheIdDiffers() throws IOException {
        JsonNode report = check(ExitStatus.CHECK_FAILED.code(), "--expect-id", "vm2");

        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(outcomes(report)).containsEntry("identity", "fail").containsEntry("node", "pass")
                .containsEntry("answer", "pass").containsEntry("size", "pass").containsEntry("read", "pass");
    }

    @Test
    void failsSizeWhenTheSizeDiffers() throws IOException {
        JsonNode report = check(ExitStatus.CHECK_FAILED.code(), "--expect-id", "vm1", "--expect-size",
                Long.toString(2 * IMAGE));

        assertThat(outcomes(report)).containsEntry("size", "fail").containsEntry("identity", "pass");
        assertThat(detail(report, "size")).contains("the export has " + IMAGE + " bytes, expected size is " + 2 * IMAGE)
                .contains(devDir.resolve("e1.1") + " has " + IMAGE + " bytes");
    }

    @Test
    void failsAnswerWhenTheTargetMacIsNotTheExpectedOne() throws IOException {
        JsonNode report = check(ExitStatus.CHECK_FAILED.code(), "--expect-id", "vm1", "--expect-mac", "02:00:00:00:00:99");

        assertThat(outcomes(report)).containsEntry("answer", "fail").containsEntry("identity", "pass");
        assertThat(detail(report, "answer")).contains(targetMac + " is not among the expected 02:00:00:00:00:99");
    }

    @Test
    void failsNodeWhenTheNodeIsMissing() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-etherd"));

        JsonNode report = lab.aoeJson(ExitStatus.CHECK_FAILED.code(), "check", "e1.1", "-i", "vI1", "--dev-dir",
                empty.toString(), "--expect-id", "vm1", "--wait", "2");

        assertThat(outcomes(report)).containsEntry("node", "fail").containsEntry("read", "skip")
                .containsEntry("answer", "pass").containsEntry("identity", "pass");
        assertThat(detail(report, "node")).startsWith(empty.resolve("e1.1") + " does not exist");
    }

    @Test
    void failsAnswerWhenTheExportIsSilent() throws IOException {
        CommandResult r = lab.aoe("check", "e1.2", "-i", "vI1", "--dev-dir", devDir.toString(), "--expect-id", "vm1",
                "--wait", "1");

        assertThat(r.exitCode()).isEqualTo(ExitStatus.CHECK_FAILED.code());
        assertThat(r.stdout()).contains("FAIL answer   e1.2: no answer on vI1 within 1 s")
                .contains("FAIL node     " + devDir.resolve("e1.2") + " does not exist");
    }
}
