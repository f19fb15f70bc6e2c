package org.aoemigrate.orchestrator.cli;

import static org.aoemigrate.orchestrator.cli.LabDriver.must;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.junit.jupiter.api.Test;

/**
 * Fault case 3 of issue 7, for real: the daemon is killed with SIGKILL in the middle of a
 * migration's memory copy, then started again. The daemon lab (its daemon serves the guest's disk
 * and runs the migration; real AoE disks), the counting guest vm1 on hostA, and a migration
 * bandwidth of 4 MiB/s in the inventory's policy, so the copy lasts long enough to be cut.
 *
 * <p>Killing the daemon also stops the AoE target in it: the guest's disk I/O stalls, and its
 * initiator retries, until the daemon is back. libvirt, which runs a peer-to-peer migration by
 * itself once asked, may finish the copy meanwhile. The restarted daemon must settle it before it
 * accepts requests: the guest runs on exactly one host, defined there and nowhere else, its disk
 * reserved to that host, the journal closes the migration, and the guest never rebooted and its
 * last tick is in the image. The killed migration's client must have said what happened.
 */
class RecoverLabIT {

    private static final String GUEST = "vm1";
    private static final Pattern ID = Pattern.compile("migration (m-[0-9a-f]+) of vm1 to hostB was cut off");

    @Test
    void aDaemonKilledDuringTheCopyIsSettledWhenItStartsAgain() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        LabDriver lab = LabDriver.daemonLab();
        assumeTrue(Files.isExecutable(lab.lab), "no lab script at " + lab.lab);
        Path clientOutput = Files.createTempFile("aoemigrate-recover-it-", ".out");
        try {
            lab.up();
            must(lab.lab(Duration.ofSeconds(30), "policy", "{migration: {bandwidthMiBps: 4}}"));
            must(lab.lab(Duration.ofMinutes(5), "guest", GUEST, "--on", "hostA"));
            ConsoleHistory console = new ConsoleHistory(GUEST, "hostA");
            LabDriver.awaitNewTicks(LabDriver.serialLog("hostA", GUEST), 3);

            long mark = console.mark("hostB");
            Process client = new ProcessBuilder(lab.aoemigrateCommand(GUEST, "hostB")).redirectErrorStream(true)
                    .redirectOutput(clientOutput.toFile()).start();
            awaitCopying(lab, client, clientOutput);
            Thread.sleep(2000);
            killDaemon();

            assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client ends once its daemon is gone").isTrue();
            String said = Files.readString(clientOutput);
            assertThat(client.exitValue()).as(said).isEqualTo(ExitStatus.INTERRUPTED.code());
            assertThat(said).contains("the daemon went away after 'migrating'", "vm1 may run on its source or on hostB",
                    "the daemon settles it when it starts again");
            Matcher id = ID.matcher(said);
            assertThat(id.find()).as(said).isTrue();

            must(lab.lab(Duration.ofMinutes(3), "target", "restart"));
            String log = awaitRecovered();
            System.out.println("aoemigrate recover lab: the restarted daemon's log:\n" + log);
            assertThat(log).contains("recover at start: " + id.group(1) + " vm1: finished: recovered: found vm1 ",
                    "recover at start: 1 settled, 0 left open");

            String host = runsExactlyOnce(lab);
            if (host.equals("hostB")) {
                console.moved("hostB", mark);
            }
            System.out.printf("aoemigrate recover lab: after the kill, libvirt left %s on %s%n", GUEST, host);
            awaitTicksAfterTheOutage(lab, host);

            JsonNode export = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "exports"))).path("exports").get(0);
            assertThat(export.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly(host);
            JsonNode history = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "history"))).path("migrations");
            assertThat(history).singleElement().satisfies(m -> {
                assertThat(m.path("id").asText()).isEqualTo(id.group(1));
                assertThat(m.path("last_step").asText()).isEqualTo("recovered");
                assertThat(m.path("open").asBoolean()).isFalse();
                assertThat(m.path("detail").asText()).contains("reserved to " + host);
            });
            assertThat(must(lab.aoemigrate("recover"))).isEqualTo("no open migrations: nothing to recover\n");

            // paused, the guest's last tick is on its console and (written just before) in the image
            lab.virsh(host, "suspend", GUEST);
            long last = console.assertCountedOnFromOneBoot();
            assertThat(lab.firstSector(GUEST)).as("the first sector of vm1's image on the storage host")
                    .isIn("tick " + last, "tick " + (last + 1));
            System.out.printf("aoemigrate recover lab: ticks 1..%d from one boot; the image holds the last one%n", last);
            lab.virsh(host, "resume", GUEST);
            String other = host.equals("hostA") ? "hostB" : "hostA";
            lab.assertSourceFencedWhileTheGuestWrites(GUEST, "e1.0", other, host);
        } finally {
            Files.deleteIfExists(clientOutput);
            lab.down();
        }
    }

    /** Until libvirt on hostA reports vm1's migration job under way (preflight and the initiator check come first). */
    private static void awaitCopying(LabDriver lab, Process client, Path clientOutput) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (!client.isAlive()) {
                fail("the migration ended before the daemon could be killed (exit " + client.exitValue() + "):\n"
                        + Files.readString(clientOutput));
            }
            LabDriver.Ran job = lab.exec("hostA", Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "domjobinfo", GUEST);
            if (job.status() == 0 && job.output().contains("Unbounded") && job.output().contains("Data processed")) {
                return;
            }
            Thread.sleep(200);
        }
        fail("vm1's migration job never showed on hostA within 300 s; the client said:\n" + Files.readString(clientOutput));
    }

    /**
     * The guest counts on where it runs. Its disk I/O waited for the target while the daemon was
     * down, and its initiator's retransmission timer grew meanwhile, so the first write after the
     * restart may take a while: up to the initiator's deadline (180 s), not the usual minute.
     */
    private static void awaitTicksAfterTheOutage(LabDriver lab, String host) throws Exception {
        LabDriver.awaitNewTicks(LabDriver.serialLog(host, GUEST), 3, Duration.ofSeconds(180),
                () -> " of the restart\n" + diagnostics(lab, host));
    }

    /** What a failure needs to be understood: the guest's state and console, its initiator's log. */
    private static String diagnostics(LabDriver lab, String host) throws Exception {
        StringBuilder d = new StringBuilder();
        d.append("domstate --reason on ").append(host).append(": ").append(lab.exec(host, Duration.ofSeconds(30), "virsh", "-c",
                "qemu:///system", "domstate", "--reason", GUEST).output().strip()).append('\n');
        d.append("domblkerror: ").append(lab.exec(host, Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "domblkerror",
                GUEST).output().strip()).append('\n');
        for (Path p : List.of(LabDriver.serialLog(host, GUEST), LabDriver.LAB_STATE.resolve("hosts/" + host
                + "/initiator-" + host + "-e1.0.log"))) {
            List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of("(none)");
            d.append("--- ").append(p).append(", last lines:\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))).append('\n');
        }
        return d.toString();
    }

    /** SIGKILL to the daemon the lab started, by the PID it recorded (examples/lab/lib/target-daemon.sh). */
    /** The restarted daemon's log once its recovery at start has ended (it may wait 5 min for libvirt's job). */
    private static String awaitRecovered() throws Exception {
        Path file = LabDriver.LAB_STATE.resolve("hosts/storage/aoemigrate-daemon.log");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        String log = Files.readString(file);
        while (!log.contains(" left open")) {   // the summary: "recover at start: N settled, M left open"
            if (System.nanoTime() > deadline) {
                fail("the restarted daemon did not end its recovery within 6 min; its log:\n" + log);
            }
            Thread.sleep(500);
            log = Files.readString(file);
        }
        return log;
    }

    private static void killDaemon() throws Exception {
        String[] record = Files.readString(LabDriver.LAB_STATE.resolve("pids/aoemigrate-daemon")).strip().split(" ");
        long pid = Long.parseLong(record[0]);
        String cmdline = new String(Files.readAllBytes(Path.of("/proc", record[0], "cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
        assertThat(cmdline).as("the recorded PID %d is the daemon", pid).contains("daemon", "--config");
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no daemon with PID " + pid));
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        daemon.onExit().get(30, TimeUnit.SECONDS);
        System.out.printf("aoemigrate recover lab: daemon (PID %d) killed with SIGKILL during the copy%n", pid);
    }

    /**
     * Asks both hosts: vm1 is running on one, and not even defined on the other. Returns the host
     * it runs on.
     */
    private static String runsExactlyOnce(LabDriver lab) throws Exception {
        List<String> running = new ArrayList<>();
        List<String> defined = new ArrayList<>();
        for (String h : List.of("hostA", "hostB")) {
            LabDriver.Ran state = lab.exec(h, Duration.ofSeconds(30), "virsh", "-q", "-c", "qemu:///system", "domstate", GUEST);
            if (state.status() == 0) {
                defined.add(h);
                if (state.output().strip().equals("running")) {
                    running.add(h);
                }
            }
        }
        assertThat(running).as("hosts where vm1 runs").hasSize(1);
        assertThat(defined).as("hosts where vm1 is defined").isEqualTo(running);
        return running.get(0);
    }
}
