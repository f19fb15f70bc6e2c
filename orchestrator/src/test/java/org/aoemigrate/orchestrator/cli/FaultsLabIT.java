package org.aoemigrate.orchestrator.cli;

import static org.aoemigrate.orchestrator.cli.LabDriver.awaitNewTicks;
import static org.aoemigrate.orchestrator.cli.LabDriver.must;
import static org.aoemigrate.orchestrator.cli.LabDriver.serialLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.cli.LabDriver.Background;
import org.aoemigrate.orchestrator.cli.LabDriver.Ran;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7's fault suite in the daemon lab (see {@link LabDriver}): faults injected while
 * {@code aoemigrate} moves the counting guest, each a test, in order, in one lab. After each fault
 * the guest runs exactly once, where the result says; it never rebooted and its counter goes on;
 * the last tick it wrote is in its image; the reservation names the host it runs on; the error says
 * what happened; and the journal closed the migration with an outcome. Each case ends with vm1
 * running where {@link #vm1} says, so the next case starts from a known state.
 *
 * <p>vm1 moves under a 4 MiB/s bandwidth cap (about 20 s a copy), so a fault lands mid-copy.
 * Case 3 (the daemon killed mid-migration, then {@code recover}) is not here: it is the recover
 * work's own test. Needs root and scripts/install-deps.sh; the lab always goes down after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class FaultsLabIT {

    private static final String VM1 = "vm1";
    private static final String VM1_DISK = "e1.0";
    private static final String VM2 = "vm2";
    /** Slow enough that a fault lands mid-copy: vm1 sends about 70 MiB. */
    private static final String SLOW_COPY = "{migration: {bandwidthMiBps: 4, timeoutSeconds: 300}}";
    /** libvirt's keepalive gives up on a silent peer after 5 probes 5 s apart (qemu.conf defaults). */
    private static final Duration LONGER_THAN_KEEPALIVE = Duration.ofSeconds(45);
    private static final Pattern MEMORY_PROCESSED = Pattern.compile("Memory processed:\\s+([0-9.]+) (B|KiB|MiB|GiB)");
    private static final Pattern MIGRATION_ID = Pattern.compile("\\(migration (m-[0-9a-f]+)\\)");

    private LabDriver lab;
    private ConsoleHistory vm1;
    /** vm2 once case 5 booted it. */
    private ConsoleHistory vm2Console;
    private boolean up;

    @BeforeAll
    void bringUpTheLabWithVm1OnHostA() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        lab = LabDriver.daemonLab();
        assumeTrue(Files.isExecutable(lab.lab), "no lab script at " + lab.lab);
        lab.up();
        up = true;
        must(lab.lab(Duration.ofSeconds(30), "policy", SLOW_COPY));
        must(lab.lab(Duration.ofMinutes(5), "guest", VM1, "--on", "hostA"));
        vm1 = new ConsoleHistory(VM1, "hostA");
        awaitNewTicks(serialLog("hostA", VM1), 3);
    }

    @AfterAll
    void takeTheLabDown() throws Exception {
        if (!up) {
            return;
        }
        try {
            System.out.println("faults lab: the journal at the end:\n" + lab.aoemigrate("history").output());
        } finally {
            lab.down();
        }
    }

    /** Case 6: a second command for a guest already moving is refused; the first goes on and moves it. */
    @Test
    @Order(1)
    void twoCommandsForOneGuestAtOnceOneRunsTheOtherIsRefused() throws Exception {
        String source = vm1.host();
        String destination = other(source);
        long mark = vm1.mark(destination);
        try (Background first = lab.aoemigrateInBackground("--json", VM1, destination)) {
            awaitCopying(first, source, VM1);
            Ran second = lab.aoemigrate("--json", VM1, destination);
            assertThat(second.status()).as(second.output()).isEqualTo(ExitStatus.REFUSED.code());
            JsonNode no = json(second);
            assertThat(no.path("outcome").asText()).isEqualTo("refused");
            assertThat(no.path("failed_check").asText()).isEqualTo("lock");
            String firstId = onlyActiveMigration();
            assertThat(no.path("reason").asText()).contains(VM1 + " is already being moved (migration " + firstId,
                    source + " to " + destination, "wait for it to end or abort it");

            JsonNode moved = result(first, 0);
            assertThat(moved.path("id").asText()).isEqualTo(firstId);
            AoemigrateLabIT.assertMoved(moved, source, destination);
            vm1.moved(destination, mark);
            assertClosed(firstId, "finished");
            assertClosed(no.path("id").asText(), "refused");
        }
        assertSettled(VM1, vm1, destination);
    }

    /**
     * Case 7: after cutover the old host still has its links to the storage and writes to the
     * guest's disk: the target refuses it (the reservation names the new host only), and the guest
     * goes on writing on the new host.
     */
    @Test
    @Order(2)
    void theOldHostWritingAfterCutoverIsRefusedByTheTarget() throws Exception {
        String now = vm1.host();
        lab.assertSourceFencedWhileTheGuestWrites(VM1, VM1_DISK, other(now), now);
        assertSettled(VM1, vm1, now);
    }

    /**
     * Case 1: the destination's libvirtd dies mid-copy. The source's libvirtd loses its
     * peer-to-peer connection and cancels the copy; the destination's incoming QEMU goes with it;
     * the guest runs on at the source, which alone may write. The destination's libvirtd comes
     * back with no copy of the guest.
     */
    @Test
    @Order(3)
    void theDestinationsLibvirtdKilledMidCopyLeavesTheGuestRunningAtTheSource() throws Exception {
        String source = vm1.host();
        String destination = other(source);
        JsonNode failed;
        try (Background move = lab.aoemigrateInBackground("--json", VM1, destination)) {
            awaitCopying(move, source, VM1);
            must(lab.lab(Duration.ofSeconds(30), "libvirtd", destination, "kill"));
            failed = result(move, ExitStatus.FAILED.code());
        } finally {
            must(lab.lab(Duration.ofMinutes(1), "libvirtd", destination, "start"));
        }
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).contains("the migration failed: " + source + ": cannot migrate " + VM1,
                destination + "'s libvirt does not answer now", "look for it once " + destination + " answers",
                VM1 + " stays on " + source + ", which alone may write its disks");
        assertClosed(failed.path("id").asText(), "failed");
        assertSettled(VM1, vm1, source);
    }

    /**
     * Case 2, a short cut: the destination's cable on segment 0 (AoE path 0, libvirt's
     * connection and the migration stream) is pulled for 8 s mid-copy and plugged back. TCP and
     * libvirt's keepalive ride it out: the copy resumes and the move completes.
     */
    @Test
    @Order(4)
    void aMigrationLinkCutBrieflyMidCopyResumesAndTheMoveCompletes() throws Exception {
        // QEMU 7.2 (Debian 12) loses guest writes when it migrates a TCG guest (fixed in QEMU 9.0, 03bfc2188f,
        // 'physmem: Fix migration dirty bitmap coherency with TCG memory access'), and a stalled copy makes that
        // likelier: with 7.2, 6 of 13 moves with this cut left vm1 hung on the destination (its kernel spinning
        // over a timer tree or a lock whose pages disagree, its disk idle, both AoE paths up); with QEMU 10, 0 of 21.
        // scripts/install-deps.sh installs QEMU 10 from bookworm-backports.
        String qemu = LabDriver.qemuVersion();
        assumeTrue(LabDriver.hasTheTcgMigrationFix(qemu), "QEMU " + qemu + " lacks the fix for migrating TCG guests"
                + " (9.0, 03bfc2188f); run scripts/install-deps.sh");
        String source = vm1.host();
        String destination = other(source);
        JsonNode moved;
        long mark = vm1.mark(destination);
        try (Background move = lab.aoemigrateInBackground("--json", VM1, destination)) {
            awaitCopying(move, source, VM1);
            must(lab.lab(Duration.ofSeconds(30), "link", destination, "0", "down"));
            try {
                Thread.sleep(8_000);
            } finally {
                must(lab.lab(Duration.ofSeconds(30), "link", destination, "0", "up"));
            }
            moved = result(move, 0);
        }
        AoemigrateLabIT.assertMoved(moved, source, destination);
        vm1.moved(destination, mark);
        assertClosed(moved.path("id").asText(), "finished");
        assertSettled(VM1, vm1, destination);
    }

    /**
     * Case 2, a long cut: the destination's cable on segment 0 stays pulled past libvirt's
     * keepalive. The source's libvirtd gives the copy up, the destination's drops its incoming
     * guest, and the guest runs on at the source; the cable is plugged back after the command ended.
     */
    @Test
    @Order(5)
    void aMigrationLinkCutForLongerThanLibvirtsKeepaliveFailsTheMoveAndTheGuestStaysAtTheSource() throws Exception {
        String source = vm1.host();
        String destination = other(source);
        JsonNode failed;
        long cut = System.nanoTime();
        try (Background move = lab.aoemigrateInBackground("--json", VM1, destination)) {
            awaitCopying(move, source, VM1);
            must(lab.lab(Duration.ofSeconds(30), "link", destination, "0", "down"));
            cut = System.nanoTime();
            try {
                failed = result(move, ExitStatus.FAILED.code());
                long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
                System.out.printf("faults lab: the move failed %d ms after the cut%n", waitedMs);
                Thread.sleep(Math.max(0, LONGER_THAN_KEEPALIVE.toMillis() - waitedMs));
            } finally {
                must(lab.lab(Duration.ofSeconds(30), "link", destination, "0", "up"));
            }
        }
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).contains("the migration failed: " + source + ": cannot migrate " + VM1,
                VM1 + " stays on " + source + ", which alone may write its disks");
        assertClosed(failed.path("id").asText(), "failed");
        assertSettled(VM1, vm1, source);
    }

    /**
     * Case 4: the storage target restarts mid-copy (in this lab it is the daemon's, so the daemon
     * restarts: a stop aborts its migrations and settles them before the exports close). The move
     * ends aborted, the guest stays at the source; the exports come back with the same config
     * string, MAC mask and reservation, and the guest's I/O resumes.
     */
    @Test
    @Order(6)
    void theStorageTargetRestartingMidCopyAbortsTheMoveAndServesTheSameExportAgain() throws Exception {
        String source = vm1.host();
        String destination = other(source);
        List<String> hypervisorMacs = List.of("02:ae:01:00:00:00", "02:ae:01:00:00:01", "02:ae:02:00:00:00",
                "02:ae:02:00:00:01");
        must(lab.exec(source, Duration.ofMinutes(1), lab.initiator.toString(), "mask", "-i", "aoe0,aoe1", "--add",
                String.join(",", hypervisorMacs), VM1_DISK));
        try {
            JsonNode aborted;
            try (Background move = lab.aoemigrateInBackground("--json", VM1, destination)) {
                awaitCopying(move, source, VM1);
                must(lab.lab(Duration.ofMinutes(3), "target", "restart"));
                aborted = result(move, ExitStatus.ABORTED.code());
            }
            assertThat(aborted.path("outcome").asText()).isEqualTo("aborted");
            assertThat(aborted.path("reason").asText()).contains("the daemon is stopping",
                    VM1 + " stays on " + source + ", which alone may write its disks");
            assertClosed(aborted.path("id").asText(), "aborted");

            JsonNode export = export(VM1 + "-disk");
            assertThat(export.path("served").asBoolean()).isTrue();
            assertThat(export.path("config").asText()).isEqualTo("id=" + VM1 + "-disk");
            String masks = must(lab.exec(destination, Duration.ofMinutes(1), lab.initiator.toString(), "mask", "-i",
                    "aoe0,aoe1", VM1_DISK));
            assertThat(masks).as("the mask list after the restart").contains(hypervisorMacs);
            assertSettled(VM1, vm1, source);
        } finally {
            must(lab.exec(source, Duration.ofMinutes(1), lab.initiator.toString(), "mask", "-i", "aoe0,aoe1", "--delete",
                    String.join(",", hypervisorMacs), VM1_DISK));
        }
    }

    /**
     * Case 5: vm2 rewrites 16 MiB of its memory without pause and the copy is capped at 4 MiB/s,
     * with no auto-converge: it cannot converge. With {@code onTimeout: abort} the budget of 40 s
     * ends the move, aborted, with vm2 running on at the source.
     */
    @Test
    @Order(7)
    void aCopyThatCannotConvergeIsAbortedWhenThePolicySaysAbort() throws Exception {
        must(lab.lab(Duration.ofSeconds(30), "policy", nonConverging("abort")));
        must(lab.lab(Duration.ofMinutes(3), "target", "restart"));
        must(lab.lab(Duration.ofMinutes(5), "guest", VM2, "--on", "hostA", "--dirty", "16"));
        ConsoleHistory vm2 = new ConsoleHistory(VM2, "hostA");
        vm2Console = vm2;
        awaitNewTicks(serialLog("hostA", VM2), 3);

        Ran r = lab.aoemigrate("--json", VM2, "hostB");
        assertThat(r.status()).as(r.output()).isEqualTo(ExitStatus.ABORTED.code());
        JsonNode aborted = json(r);
        assertThat(aborted.path("reason").asText()).contains("the copy did not finish within its budget of 40 s",
                VM2 + " stays on hostA, which alone may write its disks");
        assertClosed(aborted.path("id").asText(), "aborted");
        assertSettled(VM2, vm2, "hostA");
        assertSettled(VM1, vm1, vm1.host());
    }

    /**
     * Case 5 with {@code onTimeout: pause}: when the budget ends the engine pauses vm2, the copy
     * finishes, and vm2 runs on at the destination (the pause is its downtime), still counting.
     */
    @Test
    @Order(8)
    void aCopyThatCannotConvergeIsFinishedPausedWhenThePolicySaysPause() throws Exception {
        assumeTrue(vm2Console != null, "vm2 did not come up in the case before");
        must(lab.lab(Duration.ofSeconds(30), "policy", nonConverging("pause")));
        must(lab.lab(Duration.ofMinutes(3), "target", "restart"));
        long mark = vm2Console.mark("hostB");
        Ran r = lab.aoemigrate(VM2, "hostB");   // not --json: the events show the pause
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).contains("paused to finish: the copy did not finish within its budget of 40 s: pausing "
                + VM2 + " so the copy can finish", VM2 + " moved from hostA to hostB");
        vm2Console.moved("hostB", mark);
        Matcher id = MIGRATION_ID.matcher(r.output());
        assertThat(id.find()).as(r.output()).isTrue();
        assertClosed(id.group(1), "finished");
        assertSettled(VM2, vm2Console, "hostB");
    }

    private static String nonConverging(String onTimeout) {
        return "{migration: {bandwidthMiBps: 4, autoConverge: false, timeoutSeconds: 40, onTimeout: " + onTimeout + "}}";
    }

    /**
     * What every case ends with: {@code guest} runs on {@code host} and is active nowhere else; it
     * booted once and counts on; paused, the last tick on its console (or the next, written just
     * before it is printed) is in its image; the reservation names {@code host} alone.
     */
    private void assertSettled(String guest, ConsoleHistory console, String host) throws Exception {
        for (String h : List.of("hostA", "hostB")) {
            List<String> active = List.of(lab.virsh(h, "list", "--name").strip().split("\\s+"));
            if (h.equals(host)) {
                assertThat(active).as("guests active on %s", h).contains(guest);
            } else {
                assertThat(active).as("guests active on %s", h).doesNotContain(guest);
            }
        }
        assertThat(lab.virsh(host, "domstate", guest).strip()).isEqualTo("running");
        awaitNewTicks(serialLog(host, guest), 3);
        lab.virsh(host, "suspend", guest);
        try {
            long last = console.assertCountedOnFromOneBoot();
            assertThat(lab.firstSector(guest)).as("the first sector of %s's image on the storage host", guest)
                    .isIn("tick " + last, "tick " + (last + 1));
        } finally {
            lab.virsh(host, "resume", guest);
        }
        assertThat(export(guest + "-disk").path("reserved_hosts")).extracting(JsonNode::asText).containsExactly(host);
    }

    /** The journal ended migration {@code id} with {@code step}. */
    private void assertClosed(String id, String step) throws Exception {
        JsonNode history = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "history"))).path("migrations");
        for (JsonNode m : history) {
            if (m.path("id").asText().equals(id)) {
                assertThat(m.path("open").asBoolean()).as("migration %s is open in the journal: %s", id, m).isFalse();
                assertThat(m.path("last_step").asText()).as(m.toString()).isEqualTo(step);
                return;
            }
        }
        fail("migration " + id + " is not in the journal: " + history);
    }

    private JsonNode export(String name) throws Exception {
        for (JsonNode e : ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "exports"))).path("exports")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        return fail("the daemon serves no export " + name);
    }

    /** The id of the one migration the daemon runs now. */
    private String onlyActiveMigration() throws Exception {
        JsonNode active = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "status"))).path("migrations");
        assertThat(active).as("migrations in flight").hasSize(1);
        return active.get(0).path("id").asText();
    }

    /** Waits until libvirt on {@code source} has sent 8 MiB of the guest's memory: the copy runs. */
    private void awaitCopying(Background move, String source, String guest) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!move.isAlive()) {
                fail("the migration ended before its copy was under way: " + move.await(Duration.ofSeconds(1)).output());
            }
            Ran info = lab.exec(source, Duration.ofSeconds(30), "virsh", "-q", "-c", "qemu:///system", "domjobinfo", guest);
            Matcher m = MEMORY_PROCESSED.matcher(info.output());
            if (m.find() && bytes(m.group(1), m.group(2)) >= 8L << 20) {
                return;
            }
            Thread.sleep(500);
        }
        fail("the copy of " + guest + " from " + source + " did not get under way within 90 s");
    }

    private static long bytes(String value, String unit) {
        int shift = switch (unit) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        return (long) (Double.parseDouble(value) * (1L << shift));
    }

    private static JsonNode result(Background move, int status) throws Exception {
        Ran r = move.await(Duration.ofMinutes(5));
        assertThat(r.status()).as(r.output()).isEqualTo(status);
        return json(r);
    }

    private static JsonNode json(Ran r) throws Exception {
        return ApiJson.MAPPER.readTree(r.output());
    }

    private static String other(String host) {
        return host.equals("hostA") ? "hostB" : "hostA";
    }
}
