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
 * storage host serves the guest's disk and runs the migrations), the counting guest vm1 on hostA,
 * then {@code aoemigrate --json vm1 hostB} and back from the root namespace, over the daemon's
 * socket. The guest must never reboot and its counter must go on; each JSON result reports time,
 * downtime and bytes. Needs root and scripts/install-deps.sh; the lab always goes down after.
 *
 * <p>Only one lab can exist on a machine: if one is up, someone may be using it, so the test fails
 * and leaves it alone.
 */
class AoemigrateLabIT {

    private static final String GUEST = "vm1";
    /** examples/lab/lib/config.sh: LAB_STATE. */
    private static final Path LAB_STATE = Path.of("/var/lib/aoelab");
    private static final Path INVENTORY = LAB_STATE.resolve("inventory.yaml");
    private static final Pattern TICK = Pattern.compile("^tick (\\d+)$", Pattern.MULTILINE);
    private static final String BOOT_LINE = "aoelab-guest: booted";

    private final Path root = Path.of(System.getProperty("aoemigrate.root", "."));
    private final Path lab = root.resolve("examples/lab/lab");

    /** What a child process printed (stdout and stderr together) and its exit status. */
    private record Ran(int status, String output) {
    }

    @Test
    void aoemigrateMovesACountingGuestThereAndBackWithoutAReboot() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        assumeTrue(Files.isExecutable(lab), "no lab script at " + lab);
        Path jar = BuiltJar.aoemigrate();
        Path launcher = launcher(jar);
        Map<String, String> env = new HashMap<>(Map.of("LAB_TARGET", "daemon", "LAB_AOEMIGRATE", launcher.toString()));
        String status = run(env, Duration.ofSeconds(30), lab.toString(), "status").output().strip();
        if (!status.startsWith("no lab")) {
            fail("a lab exists already and someone may be using it; this test does not tear down a lab it did not make."
                    + " Wait for it to go, or, if it is yours, run '" + lab + " down'. 'lab status' says:\n" + status);
        }
        // built here, in the root namespace: nothing can be downloaded from inside the lab
        must(run(env, Duration.ofMinutes(5), root.resolve("bin/aoe-initiator").toString(), "--version"));
        try {
            must(run(env, Duration.ofMinutes(2), lab.toString(), "up"));
            must(run(env, Duration.ofMinutes(5), lab.toString(), "guest", GUEST, "--on", "hostA"));
            Path logA = serialLog("hostA");
            Path logB = serialLog("hostB");
            awaitNewTicks(logA, 3);

            JsonNode there = migrate(jar, env, "hostB");
            long aAtLeave = Files.size(logA);
            assertMoved(there, "hostA", "hostB");
            awaitNewTicks(logB, 3);

            JsonNode back = migrate(jar, env, "hostA");
            assertMoved(back, "hostB", "hostA");
            awaitNewTicks(logA, 3);

            // the console in the order it happened: hostA until it left, hostB, hostA again
            byte[] a = Files.readAllBytes(logA);
            String history = new String(a, 0, (int) aAtLeave, StandardCharsets.UTF_8) + Files.readString(logB)
                    + new String(a, (int) aAtLeave, a.length - (int) aAtLeave, StandardCharsets.UTF_8);
            history = history.replace("\r", "");
            assertThat(history.split(BOOT_LINE, -1)).as("boot lines in vm1's console history").hasSize(2);
            List<Long> ticks = new ArrayList<>();
            Matcher m = TICK.matcher(history);
            while (m.find()) {
                ticks.add(Long.parseLong(m.group(1)));
            }
            assertThat(ticks).as("vm1's counter across both moves").isNotEmpty();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i)).as("tick number %d", i + 1).isEqualTo(i + 1L);
            }

            JsonNode export = ApiJson.MAPPER.readTree(must(aoemigrate(jar, env, "--json", "exports"))).path("exports").get(0);
            assertThat(export.path("config").asText()).isEqualTo("id=" + GUEST + "-disk");
            assertThat(export.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly("hostA");
            JsonNode history2 = ApiJson.MAPPER.readTree(must(aoemigrate(jar, env, "--json", "history")));
            assertThat(history2.path("migrations")).extracting(j -> j.path("last_step").asText())
                    .containsExactly("finished", "finished");
        } finally {
            Ran down = run(env, Duration.ofMinutes(2), lab.toString(), "down");
            if (down.status() != 0) {
                System.out.println("lab down failed:\n" + down.output());
            }
        }
    }

    private JsonNode migrate(Path jar, Map<String, String> env, String destination) throws Exception {
        long start = System.nanoTime();
        String out = must(aoemigrate(jar, env, "--json", GUEST, destination));
        JsonNode r = ApiJson.MAPPER.readTree(out);
        System.out.printf("aoemigrate lab: %s -> %s: %s, total %d ms, downtime %d ms, %d KiB sent, %d iterations (client"
                + " %d ms)%n", r.path("source").asText(), destination, r.path("outcome").asText(), r.path("total_ms").asLong(),
                r.path("downtime_ms").asLong(), r.path("bytes").asLong() >> 10, r.path("iterations").asLong(),
                (System.nanoTime() - start) / 1_000_000);
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
