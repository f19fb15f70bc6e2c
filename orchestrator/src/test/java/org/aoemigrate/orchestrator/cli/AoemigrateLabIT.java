package org.aoemigrate.orchestrator.cli;

import static org.aoemigrate.orchestrator.cli.LabDriver.awaitNewTicks;
import static org.aoemigrate.orchestrator.cli.LabDriver.must;
import static org.aoemigrate.orchestrator.cli.LabDriver.serialLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.cli.LabDriver.Ran;
import org.junit.jupiter.api.Test;

/**
 * The headline, for real: the lab with {@code LAB_TARGET=daemon} (aoemigrate's daemon in the
 * storage host serves the guest's disk and runs the migrations) and real AoE disks (each
 * hypervisor's {@code /dev/etherd/e1.0} is {@code aoe-initiator attach}), the counting guest vm1
 * on hostA, then {@code aoemigrate --json vm1 hostB}, back, and to hostB again with
 * {@code --cutover fenced}, from the root namespace over the daemon's socket. The guest must never
 * reboot and its counter must go on into the image; each JSON result reports time, downtime and
 * bytes; after each move the old host's writes are refused while the guest goes on writing.
 * Then moving back is refused (exit 3) for each reason the destination can give, each time
 * with the guest still counting on hostB and its disk still reserved to hostB alone: hostA has
 * lost its device (the initiator check, node); hostA lacks the memory (its guestMemoryMiB, 200,
 * cannot hold a shut-off 128 MiB guest defined there and vm1's 128 MiB: the memory check); hostA
 * sees another export under e1.0 ({@code lab impostor}: the initiator check, identity). And a guest
 * with a local file disk is refused (exit 3, the disks check) and left running.
 * Needs root and scripts/install-deps.sh; the lab always goes down after.
 *
 * <p>If the lab that LAB_NAME names is up, someone may be using it, so the test fails and leaves it alone.
 */
class AoemigrateLabIT {

    private static final String GUEST = "vm1";
    private static final String DEVICE = "e1.0";
    /** hostA's guestMemoryMiB: room for vm1 (128 MiB, lib/config.sh) alone, not for a second guest. */
    private static final String HOST_A_GUEST_MEMORY = "hostA=200";
    /** Where the daemon logs, among other things, a check agent it had to restart. */
    private static final Path DAEMON_LOG = LabDriver.LAB_STATE.resolve("hosts/storage/aoemigrate-daemon.log");

    @Test
    void aoemigrateMovesACountingGuestThereAndBackWithoutARebootAndFencesTheSource() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        LabDriver lab = LabDriver.daemonLab();
        assumeTrue(Files.isExecutable(lab.lab), "no lab script at " + lab.lab);
        lab.up("--guest-memory", HOST_A_GUEST_MEMORY);
        try {
            must(lab.lab(Duration.ofMinutes(5), "guest", GUEST, "--on", "hostA"));
            ConsoleHistory console = new ConsoleHistory(GUEST, "hostA");
            awaitNewTicks(serialLog("hostA", GUEST), 3);

            JsonNode there = migrate(lab, console, "hostA", "hostB");
            Set<Long> agents = checkAgentJvms();
            assertThat(agents).as("the daemon's check agents, one JVM per host").hasSize(2);
            lab.assertSourceFencedWhileTheGuestWrites(GUEST, DEVICE, "hostA", "hostB");
            JsonNode back = migrate(lab, console, "hostB", "hostA");
            lab.assertSourceFencedWhileTheGuestWrites(GUEST, DEVICE, "hostB", "hostA");
            JsonNode fenced = migrate(lab, console, "hostA", "hostB", "--cutover", "fenced");
            assertThat(List.of(there, back).stream().map(r -> r.path("cutover").asText())).containsOnly("fast");
            assertThat(fenced.path("cutover").asText()).isEqualTo("fenced");
            lab.assertSourceFencedWhileTheGuestWrites(GUEST, DEVICE, "hostA", "hostB");

            // paused, the guest's last tick is on its console and (written just before) in the image
            lab.virsh("hostB", "suspend", GUEST);
            long last = console.assertCountedOnFromOneBoot();
            String sector = lab.firstSector(GUEST);
            // the guest writes N to its disk, then prints "tick N": a pause between the two leaves the disk one ahead
            assertThat(sector).as("the first sector of the image on the storage host").isIn("tick " + last, "tick " + (last + 1));
            System.out.printf("aoemigrate lab: ticks 1..%d across three moves; the image holds '%s'%n", last, sector);
            lab.virsh("hostB", "resume", GUEST);

            // hostA no longer has the disk: the move back is refused and vm1 goes on on hostB, its disk still hostB's
            must(lab.exec("hostA", Duration.ofMinutes(1), lab.initiator.toString(), "detach", DEVICE));
            refusedBackToHostA(lab, "initiator", DEVICE + " on hostA", "node");
            refusesWhenHostALacksTheMemory(lab);
            refusesAnotherExportUnderTheSameName(lab);
            refusesAGuestWithALocalDisk(lab);
            // every check after the first move (two moves, three refusals) was answered by the same agents
            assertThat(checkAgentJvms()).as("the daemon's check agents").isEqualTo(agents);
            assertThat(Files.readString(DAEMON_LOG)).doesNotContain("check agent");

            JsonNode export = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "exports"))).path("exports").get(0);
            assertThat(export.path("config").asText()).isEqualTo("id=" + GUEST + "-disk");
            assertThat(export.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly("hostB");
            JsonNode journal = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "history")));
            assertThat(journal.path("migrations")).extracting(j -> j.path("last_step").asText())
                    .containsExactly("finished", "finished", "finished", "refused", "refused", "refused", "refused");
        } finally {
            lab.down();
        }
    }

    /**
     * The JVMs of the daemon's {@code aoe-initiator check-agent}s: its descendants (through each
     * host's exec prefix) whose command line runs that subcommand.
     */
    private static Set<Long> checkAgentJvms() throws Exception {
        long daemon = Long.parseLong(Files.readString(LabDriver.LAB_STATE.resolve("pids/aoemigrate-daemon")).split(" ")[0]
                .strip());
        return ProcessHandle.of(daemon).orElseThrow().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("check-agent")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * {@code aoemigrate vm1 hostA} is refused (exit 3) by {@code check}, its reason holding each of
     * {@code reasonParts}; vm1 goes on counting on hostB, its disk reserved to hostB alone.
     */
    private static void refusedBackToHostA(LabDriver lab, String check, String... reasonParts) throws Exception {
        Ran refused = lab.aoemigrate("--json", GUEST, "hostA");
        assertThat(refused.status()).as(refused.output()).isEqualTo(3);
        JsonNode no = ApiJson.MAPPER.readTree(refused.output());
        assertThat(no.path("outcome").asText()).isEqualTo("refused");
        assertThat(no.path("failed_check").asText()).as(no.toString()).isEqualTo(check);
        assertThat(no.path("reason").asText()).contains(reasonParts);
        System.out.printf("aoemigrate lab: %s -> hostA refused (%s): %s%n", GUEST, check, no.path("reason").asText());
        assertThat(lab.virsh("hostB", "domstate", GUEST).strip()).isEqualTo("running");
        assertThat(lab.virsh("hostA", "list", "--all", "--name").strip()).as("guests on hostA").doesNotContain(GUEST);
        JsonNode export = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "exports"))).path("exports").get(0);
        assertThat(export.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly("hostB");
        awaitNewTicks(serialLog("hostB", GUEST), 3);
    }

    /**
     * The lab's hosts share one machine's RAM, so libvirt's free memory cannot make hostA too
     * small; its guestMemoryMiB (200, from {@code lab up --guest-memory}) can: vm3, a shut-off
     * 128 MiB guest defined on hostA, and vm1's 128 MiB do not fit together.
     */
    private void refusesWhenHostALacksTheMemory(LabDriver lab) throws Exception {
        Path xml = Files.createTempFile("aoemigrate-lab-it-", ".xml");
        try {
            String vm3 = lab.virsh("hostB", "dumpxml", "--inactive", GUEST).replaceAll("<uuid>[^<]*</uuid>", "")
                    .replace("<name>" + GUEST + "</name>", "<name>vm3</name>");
            Files.writeString(xml, vm3);
            lab.virsh("hostA", "define", xml.toString());
            refusedBackToHostA(lab, "memory", "hostA lets its guests use 200 MiB (guestMemoryMiB); its guests (vm3) have"
                    + " 128 MiB, vm1 needs 128 MiB more");
        } finally {
            lab.exec("hostA", Duration.ofSeconds(60), "virsh", "-q", "-c", "qemu:///system", "undefine", "vm3");
            Files.deleteIfExists(xml);
        }
    }

    /**
     * {@code lab impostor up hostA vm1}: another target serves e1.0, the same size, as export
     * impostor-disk, and hostA (cabled onto its segments) attaches it as its /dev/etherd/e1.0. The
     * destination check reads that disk and finds both the stranger's MACs and the wrong identity.
     */
    private void refusesAnotherExportUnderTheSameName(LabDriver lab) throws Exception {
        must(lab.lab(Duration.ofMinutes(2), "impostor", "up", "hostA", GUEST));
        try {
            must(lab.exec("hostA", Duration.ofSeconds(30), "test", "-b", "/dev/etherd/" + DEVICE));
            refusedBackToHostA(lab, "initiator", DEVICE + " on hostA", "another target serves a disk named " + DEVICE,
                    "identity: export id is impostor-disk, expected " + GUEST + "-disk: this is another export under the same name");
        } finally {
            must(lab.lab(Duration.ofMinutes(2), "impostor", "down"));
        }
    }

    /**
     * vm2, a transient copy of vm1 on hostB whose disk is a file there: moving it is refused
     * (exit 3, the disks check) and it goes on running where it was.
     */
    private void refusesAGuestWithALocalDisk(LabDriver lab) throws Exception {
        Path dir = Files.createTempDirectory("aoemigrate-lab-it-");
        Path disk = dir.resolve("vm2-local.img");
        Path xml = dir.resolve("vm2.xml");
        try {
            try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            String vm1 = lab.virsh("hostB", "dumpxml", GUEST);
            String vm2 = vm1.replaceAll("<uuid>[^<]*</uuid>", "").replace(GUEST, "vm2")
                    .replaceAll("<disk type='block' device='disk'>", "<disk type='file' device='disk'>")
                    .replaceAll("<source dev='/dev/etherd/e1\\.0'[^>]*>", "<source file='" + disk + "'/>");
            assertThat(vm2).contains("<source file='" + disk + "'/>");
            Files.writeString(xml, vm2);
            lab.virsh("hostB", "create", xml.toString());
            Ran r = lab.aoemigrate("--json", "vm2", "hostA");
            assertThat(r.status()).as(r.output()).isEqualTo(3);
            JsonNode no = ApiJson.MAPPER.readTree(r.output());
            assertThat(no.path("failed_check").asText()).isEqualTo("disks");
            assertThat(no.path("reason").asText()).contains("disk vda of vm2 is file " + disk, "not an AoE device");
            assertThat(lab.virsh("hostB", "domstate", "vm2").strip()).isEqualTo("running");
        } finally {
            lab.exec("hostB", Duration.ofSeconds(60), "virsh", "-q", "-c", "qemu:///system", "destroy", "vm2");
            Files.deleteIfExists(xml);
            Files.deleteIfExists(disk);
            Files.deleteIfExists(dir);
        }
    }

    private JsonNode migrate(LabDriver lab, ConsoleHistory console, String source, String destination, String... options)
            throws Exception {
        long mark = console.mark(destination);
        long start = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--json"));
        args.addAll(List.of(options));
        args.addAll(List.of(GUEST, destination));
        String out = must(lab.aoemigrate(args.toArray(String[]::new)));
        JsonNode r = ApiJson.MAPPER.readTree(out);
        console.moved(destination, mark);
        System.out.printf("aoemigrate lab: %s -> %s (%s): %s, total %d ms, downtime %d ms, %d KiB sent, %d iterations"
                + " (client %d ms)%n", r.path("source").asText(), destination, r.path("cutover").asText(),
                r.path("outcome").asText(), r.path("total_ms").asLong(), r.path("downtime_ms").asLong(),
                r.path("bytes").asLong() >> 10, r.path("iterations").asLong(), (System.nanoTime() - start) / 1_000_000);
        assertMoved(r, source, destination);
        awaitNewTicks(serialLog(destination, GUEST), 3);
        return r;
    }

    static void assertMoved(JsonNode r, String source, String destination) {
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(r.path("source").asText()).isEqualTo(source);
        assertThat(r.path("destination").asText()).isEqualTo(destination);
        assertThat(r.path("total_ms").asLong()).isPositive();
        assertThat(r.path("downtime_ms").asLong()).isPositive();
        // at least the pages the guest touched; a 128 MiB TCG guest sends tens of MiB
        assertThat(r.path("bytes").asLong()).isGreaterThan(1L << 20);
    }
}
