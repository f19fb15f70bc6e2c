package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.junit.jupiter.api.Test;

/**
 * The headline, for real: the lab with {@code LAB_TARGET=daemon} (aoemigrate's daemon in the
 * storage host serves the guest's disk and runs the migrations) and real AoE disks (each
 * hypervisor's {@code /dev/etherd/e1.0} is {@code aoe-initiator attach}), the counting guest vm1
 * on hostA, then {@code aoemigrate --json vm1 hostB}, back, and to hostB again with
 * {@code --cutover fenced}, from the root namespace over the daemon's socket. The guest must never
 * reboot and its counter must go on into the image; each JSON result reports time, downtime and
 * bytes; after each move the old host's writes are refused while the guest goes on writing.
 * Then hostA loses its device, and moving back is refused (exit 3, the initiator check) with
 * the guest still running on hostB and its disk still reserved to hostB; and a guest with a
 * local file disk is refused (exit 3, the disks check) and left running.
 * Needs root and scripts/install-deps.sh; the lab always goes down after.
 *
 * <p>Only one lab can exist on a machine: if one is up, someone may be using it, so the test fails
 * and leaves it alone.
 */
class AoemigrateLabIT {

    private static final String GUEST = "vm1";
    /** examples/lab/lib/config.sh: LAB_STATE, after LAB_NAME (which lab of several this run uses). */
    private static final Path LAB_STATE = Path.of("/var/lib", System.getenv().getOrDefault("LAB_NAME", "aoelab"));
    private static final Path INVENTORY = LAB_STATE.resolve("inventory.yaml");
    private static final Pattern TICK = Pattern.compile("^tick (\\d+)$", Pattern.MULTILINE);
    private static final String BOOT_LINE = "aoelab-guest: booted";
    /** examples/lab/lib/config.sh: lab_images_dir; the guest's image on the storage host. */
    private static final Path IMAGE = LAB_STATE.resolve("storage/images/" + GUEST + ".img");
    private static final int SECTOR = 512;

    private final Path root = Path.of(System.getProperty("aoemigrate.root", "."));
    private final Path lab = root.resolve("examples/lab/lab");
    private final Path initiator = root.toAbsolutePath().resolve("bin/aoe-initiator");

    /** What a child process printed (stdout and stderr together) and its exit status. */
    private record Ran(int status, String output) {
    }

    @Test
    void aoemigrateMovesACountingGuestThereAndBackWithoutARebootAndFencesTheSource() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        assumeTrue(Files.isExecutable(lab), "no lab script at " + lab);
        Path jar = BuiltJar.aoemigrate();
        Path launcher = launcher(jar);
        // real AoE disks: each hypervisor's /dev/etherd/e1.0 is our initiator, so guest I/O crosses AoE to the daemon's target
        Map<String, String> env = new HashMap<>(Map.of("LAB_TARGET", "daemon", "LAB_DISK_PROVIDER", "aoe-initiator",
                "LAB_AOEMIGRATE", launcher.toString()));
        String status = run(env, Duration.ofSeconds(30), lab.toString(), "status").output().strip();
        if (!status.startsWith("no lab")) {
            fail("a lab exists already and someone may be using it; this test does not tear down a lab it did not make."
                    + " Wait for it to go, or, if it is yours, run '" + lab + " down'. 'lab status' says:\n" + status);
        }
        // built here, in the root namespace: nothing can be downloaded from inside the lab
        must(run(env, Duration.ofMinutes(5), initiator.toString(), "--version"));
        Path zeros = Files.createTempFile("aoemigrate-lab-it-", ".sector");
        try {
            Files.write(zeros, new byte[SECTOR]);
            must(run(env, Duration.ofMinutes(2), lab.toString(), "up"));
            must(run(env, Duration.ofMinutes(5), lab.toString(), "guest", GUEST, "--on", "hostA"));
            ConsoleHistory console = new ConsoleHistory("hostA");
            awaitNewTicks(serialLog("hostA"), 3);

            JsonNode there = migrate(jar, env, console, "hostA", "hostB");
            assertSourceFencedWhileTheGuestWrites(env, zeros, "hostA", "hostB");
            JsonNode back = migrate(jar, env, console, "hostB", "hostA");
            assertSourceFencedWhileTheGuestWrites(env, zeros, "hostB", "hostA");
            JsonNode fenced = migrate(jar, env, console, "hostA", "hostB", "--cutover", "fenced");
            assertThat(List.of(there, back).stream().map(r -> r.path("cutover").asText())).containsOnly("fast");
            assertThat(fenced.path("cutover").asText()).isEqualTo("fenced");
            assertSourceFencedWhileTheGuestWrites(env, zeros, "hostA", "hostB");

            // paused, the guest's last tick is on its console and (written just before) in the image
            must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c", "qemu:///system",
                    "suspend", GUEST));
            String history = console.text();
            assertThat(history.split(BOOT_LINE, -1)).as("boot lines in vm1's console history").hasSize(2);
            List<Long> ticks = new ArrayList<>();
            Matcher m = TICK.matcher(history);
            while (m.find()) {
                ticks.add(Long.parseLong(m.group(1)));
            }
            assertThat(ticks).as("vm1's counter across three moves").isNotEmpty();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i)).as("tick number %d", i + 1).isEqualTo(i + 1L);
            }
            long last = ticks.get(ticks.size() - 1);
            String sector = must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "storage", "--", "dd",
                    "if=" + IMAGE, "bs=512", "count=1", "iflag=direct", "status=none")).replace("\0", "").strip();
            // the guest writes N to its disk, then prints "tick N": a pause between the two leaves the disk one ahead
            assertThat(sector).as("the first sector of the image on the storage host").isIn("tick " + last, "tick " + (last + 1));
            System.out.printf("aoemigrate lab: ticks 1..%d across three moves; the image holds '%s'%n", last, sector);
            must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c", "qemu:///system",
                    "resume", GUEST));

            // hostA no longer has the disk: the move back is refused and vm1 goes on on hostB, its disk still hostB's
            must(run(env, Duration.ofMinutes(1), lab.toString(), "exec", "hostA", "--", initiator.toString(), "detach", "e1.0"));
            Ran refused = aoemigrate(jar, env, "--json", GUEST, "hostA");
            assertThat(refused.status()).as(refused.output()).isEqualTo(3);
            JsonNode no = ApiJson.MAPPER.readTree(refused.output());
            assertThat(no.path("outcome").asText()).isEqualTo("refused");
            assertThat(no.path("failed_check").asText()).isEqualTo("initiator");
            assertThat(no.path("reason").asText()).contains("e1.0 on hostA", "node");
            assertThat(must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c",
                    "qemu:///system", "domstate", GUEST)).strip()).isEqualTo("running");
            awaitNewTicks(serialLog("hostB"), 3);
            refusesAGuestWithALocalDisk(jar, env);

            JsonNode export = ApiJson.MAPPER.readTree(must(aoemigrate(jar, env, "--json", "exports"))).path("exports").get(0);
            assertThat(export.path("config").asText()).isEqualTo("id=" + GUEST + "-disk");
            assertThat(export.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly("hostB");
            JsonNode journal = ApiJson.MAPPER.readTree(must(aoemigrate(jar, env, "--json", "history")));
            assertThat(journal.path("migrations")).extracting(j -> j.path("last_step").asText())
                    .containsExactly("finished", "finished", "finished", "refused", "refused");
        } finally {
            Files.deleteIfExists(zeros);
            Ran down = run(env, Duration.ofMinutes(2), lab.toString(), "down");
            if (down.status() != 0) {
                System.out.println("lab down failed:\n" + down.output());
            }
        }
    }

    /**
     * After cutover the target refuses the old host's writes (its MACs left the reservation), both
     * through its own /dev/etherd node (EIO, while its attach process keeps serving) and straight
     * from the initiator (AoE error 6), while the guest on the destination goes on writing.
     */
    private void assertSourceFencedWhileTheGuestWrites(Map<String, String> env, Path zeros, String source,
            String destination) throws Exception {
        long lastSector = Files.size(IMAGE) / SECTOR - 1;   // not the counter's sector 0: harmless were it written
        Ran direct = run(env, Duration.ofMinutes(1), lab.toString(), "exec", source, "--", initiator.toString(), "write",
                "-i", "aoe0,aoe1", "--offset", Long.toString(lastSector * SECTOR), "--in", zeros.toString(), "e1.0");
        assertThat(direct.status()).as("aoe-initiator write from %s: %s", source, direct.output()).isNotZero();
        assertThat(direct.output()).contains("target reserved");
        Ran dd = run(env, Duration.ofMinutes(1), lab.toString(), "exec", source, "--", "dd", "if=" + zeros,
                "of=/dev/etherd/e1.0", "bs=512", "count=1", "seek=" + lastSector, "oflag=direct", "conv=notrunc");
        assertThat(dd.status()).as("dd to %s's /dev/etherd/e1.0: %s", source, dd.output()).isNotZero();
        assertThat(dd.output()).contains("Input/output error");
        must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", source, "--", "test", "-b", "/dev/etherd/e1.0"));
        awaitNewTicks(serialLog(destination), 3);
    }

    /**
     * vm2, a transient copy of vm1 on hostB whose disk is a file there: moving it is refused
     * (exit 3, the disks check) and it goes on running where it was.
     */
    private void refusesAGuestWithALocalDisk(Path jar, Map<String, String> env) throws Exception {
        Path dir = Files.createTempDirectory("aoemigrate-lab-it-");
        Path disk = dir.resolve("vm2-local.img");
        Path xml = dir.resolve("vm2.xml");
        try {
            try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            String vm1 = must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c",
                    "qemu:///system", "dumpxml", GUEST));
            String vm2 = vm1.replaceAll("<uuid>[^<]*</uuid>", "").replace(GUEST, "vm2")
                    .replaceAll("<disk type='block' device='disk'>", "<disk type='file' device='disk'>")
                    .replaceAll("<source dev='/dev/etherd/e1\\.0'[^>]*>", "<source file='" + disk + "'/>");
            assertThat(vm2).contains("<source file='" + disk + "'/>");
            Files.writeString(xml, vm2);
            must(run(env, Duration.ofSeconds(60), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c", "qemu:///system",
                    "create", xml.toString()));
            Ran r = aoemigrate(jar, env, "--json", "vm2", "hostA");
            assertThat(r.status()).as(r.output()).isEqualTo(3);
            JsonNode no = ApiJson.MAPPER.readTree(r.output());
            assertThat(no.path("failed_check").asText()).isEqualTo("disks");
            assertThat(no.path("reason").asText()).contains("disk vda of vm2 is file " + disk, "not an AoE device");
            assertThat(must(run(env, Duration.ofSeconds(30), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c",
                    "qemu:///system", "domstate", "vm2")).strip()).isEqualTo("running");
        } finally {
            run(env, Duration.ofSeconds(60), lab.toString(), "exec", "hostB", "--", "virsh", "-q", "-c", "qemu:///system",
                    "destroy", "vm2");
            Files.deleteIfExists(xml);
            Files.deleteIfExists(disk);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * vm1's console in the order it happened: each stay on a host is the part of that host's
     * serial log written meanwhile (a log grows on: a guest that comes back appends to it).
     */
    private static final class ConsoleHistory {

        private record Stay(String host, long from, long to) {
        }

        private final List<Stay> stays = new ArrayList<>();
        private Stay current;

        ConsoleHistory(String host) {
            current = new Stay(host, 0, -1);
        }

        /** Before a move: where the destination's log ends, so its new stay starts there. */
        long mark(String destination) throws IOException {
            Path log = serialLog(destination);
            return Files.exists(log) ? Files.size(log) : 0;
        }

        /** After a move: the source's stay ends where its log ends now. */
        void moved(String destination, long mark) throws IOException {
            stays.add(new Stay(current.host(), current.from(), Files.size(serialLog(current.host()))));
            current = new Stay(destination, mark, -1);
        }

        String text() throws IOException {
            StringBuilder all = new StringBuilder();
            List<Stay> every = new ArrayList<>(stays);
            every.add(new Stay(current.host(), current.from(), Files.size(serialLog(current.host()))));
            for (Stay s : every) {
                byte[] log = Files.readAllBytes(serialLog(s.host()));
                all.append(new String(log, (int) s.from(), (int) (s.to() - s.from()), StandardCharsets.UTF_8));
            }
            return all.toString().replace("\r", "");
        }
    }

    private JsonNode migrate(Path jar, Map<String, String> env, ConsoleHistory console, String source, String destination,
            String... options) throws Exception {
        long mark = console.mark(destination);
        long start = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--json"));
        args.addAll(List.of(options));
        args.addAll(List.of(GUEST, destination));
        String out = must(aoemigrate(jar, env, args.toArray(String[]::new)));
        JsonNode r = ApiJson.MAPPER.readTree(out);
        console.moved(destination, mark);
        System.out.printf("aoemigrate lab: %s -> %s (%s): %s, total %d ms, downtime %d ms, %d KiB sent, %d iterations"
                + " (client %d ms)%n", r.path("source").asText(), destination, r.path("cutover").asText(),
                r.path("outcome").asText(), r.path("total_ms").asLong(), r.path("downtime_ms").asLong(),
                r.path("bytes").asLong() >> 10, r.path("iterations").asLong(), (System.nanoTime() - start) / 1_000_000);
        assertMoved(r, source, destination);
        awaitNewTicks(serialLog(destination), 3);
        return r;
    }

    private static void assertMoved(JsonNode r, String source, String destination) {
        assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(r.path("source").asText()).isEqualTo(source);
        assertThat(r.path("destination").asText()).isEqualTo(destination);
        assertThat(r.path("total_ms").asLong()).isPositive();
        assertThat(r.path("downtime_ms").asLong()).isPositive();
        // at least the pages the guest touched; a 128 MiB TCG guest sends tens of MiB
        assertThat(r.path("bytes").asLong()).isGreaterThan(1L << 20);
    }

    /** aoemigrate from the root namespace; the socket comes from the lab's inventory. */
    private Ran aoemigrate(Path jar, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BuiltJar.java(), "-jar", jar.toString(), "--config", INVENTORY.toString()));
        command.addAll(List.of(args));
        return run(env, Duration.ofMinutes(5), command.toArray(String[]::new));
    }

    private static Path serialLog(String host) {
        return LAB_STATE.resolve("hosts").resolve(host).resolve("log/qemu/" + GUEST + "-serial.log");
    }

    private static long ticks(Path log) throws IOException {
        return Files.exists(log) ? TICK.matcher(Files.readString(log).replace("\r", "")).results().count() : 0;
    }

    private static void awaitNewTicks(Path log, int n) throws Exception {
        long want = ticks(log) + n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ticks(log) < want) {
            if (System.nanoTime() > deadline) {
                fail("no " + n + " new ticks in " + log + " within 60 s");
            }
            Thread.sleep(500);
        }
    }


    /** A launcher for the lab's daemon provider that runs this build's jar. */
    private static Path launcher(Path jar) throws IOException {
        Path script = jar.resolveSibling("aoemigrate-lab-launcher");
        Files.writeString(script, "#!/bin/sh\nexec " + BuiltJar.java() + " -jar " + jar + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }


    private static String must(Ran r) {
        if (r.status() != 0) {
            throw new AssertionError("exit " + r.status() + ":\n" + r.output());
        }
        return r.output();
    }

    private static Ran run(Map<String, String> env, Duration timeout, String... command) throws Exception {
        Path output = Files.createTempFile("aoemigrate-lab-it-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail("'" + String.join(" ", command) + "' did not finish within " + timeout);
            }
            return new Ran(p.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
