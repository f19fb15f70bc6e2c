package org.aoemigrate.orchestrator.cli;

import static org.aoemigrate.orchestrator.cli.LabDriver.awaitNewTicks;
import static org.aoemigrate.orchestrator.cli.LabDriver.must;
import static org.aoemigrate.orchestrator.cli.LabDriver.serialLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.cli.LabDriver.Ran;
import org.junit.jupiter.api.Test;

/**
 * Drain and rebalance for real: the daemon lab with three hypervisors (each lets its guests use
 * 512 MiB: the lab's hosts share one machine's RAM) and five counting guests of 128 MiB, vm1 and
 * vm2 on hostA, vm3 and vm4 on hostB, vm5 on hostC. {@code aoemigrate drain hostA} live-migrates
 * both of hostA's guests elsewhere (each goes on counting, with no second boot); then
 * {@code undrain hostA} and {@code rebalance} move guests back onto the empty hostA, evening
 * the cluster. Needs root and scripts/install-deps.sh; the lab always goes down after.
 *
 * <p>If the lab that LAB_NAME names is up, someone may be using it, so the test fails and leaves it alone.
 */
class RebalanceLabIT {

    private static final Map<String, String> GUESTS = new LinkedHashMap<>();

    static {
        GUESTS.put("vm1", "hostA");
        GUESTS.put("vm2", "hostA");
        GUESTS.put("vm3", "hostB");
        GUESTS.put("vm4", "hostB");
        GUESTS.put("vm5", "hostC");
    }

    private static final List<String> HOSTS = List.of("hostA", "hostB", "hostC");

    @Test
    void drainEmptiesHostALiveAndRebalanceMovesGuestsBackOntoIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the lab needs root (namespaces, mounts, loop devices)");
        LabDriver lab = LabDriver.daemonLab();
        assumeTrue(Files.isExecutable(lab.lab), "no lab script at " + lab.lab);
        lab.up("--hosts", "3", "--guest-memory", "hostA=512,hostB=512,hostC=512");
        try {
            Map<String, ConsoleHistory> consoles = new HashMap<>();
            for (Map.Entry<String, String> g : GUESTS.entrySet()) {
                must(lab.lab(Duration.ofMinutes(5), "guest", g.getKey(), "--on", g.getValue()));
                consoles.put(g.getKey(), new ConsoleHistory(g.getKey(), g.getValue()));
            }
            for (Map.Entry<String, String> g : GUESTS.entrySet()) {
                awaitNewTicks(serialLog(g.getValue(), g.getKey()), 2);
            }

            JsonNode drain = run(lab, consoles, "drain", "hostA");
            assertThat(drain.path("outcome").asText()).as(drain.toString()).isEqualTo("succeeded");
            assertThat(drain.path("moves")).extracting(m -> m.path("guest").asText()).containsExactlyInAnyOrder("vm1", "vm2");
            assertThat(drain.path("moves")).allSatisfy(m -> assertThat(m.path("destination").asText()).isIn("hostB", "hostC"));
            assertThat(lab.virsh("hostA", "list", "--name").strip()).as("guests running on hostA").isEmpty();
            JsonNode status = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "status")));
            assertThat(status.path("hosts").get(0).path("maintenance").asBoolean()).as("hostA in maintenance").isTrue();

            must(lab.aoemigrate("undrain", "hostA"));
            JsonNode rebalance = run(lab, consoles, "rebalance");
            assertThat(rebalance.path("outcome").asText()).as(rebalance.toString()).isEqualTo("succeeded");
            assertThat(rebalance.path("moves")).as(rebalance.toString()).isNotEmpty()
                    .allSatisfy(m -> assertThat(m.path("destination").asText()).isEqualTo("hostA"));
            assertThat(rebalance.path("score_after").asDouble()).isLessThan(rebalance.path("score_before").asDouble());
            assertThat(lab.virsh("hostA", "list", "--name").strip()).as("guests running on hostA").isNotEmpty();

            for (Map.Entry<String, ConsoleHistory> c : consoles.entrySet()) {
                awaitNewTicks(serialLog(c.getValue().host(), c.getKey()), 2);
                long last = c.getValue().assertCountedOnFromOneBoot();
                System.out.printf("rebalance lab: %s counted 1..%d from one boot, on %s now%n", c.getKey(), last,
                        c.getValue().host());
            }
            JsonNode runs = ApiJson.MAPPER.readTree(must(lab.aoemigrate("--json", "history"))).path("runs");
            assertThat(runs).extracting(r -> r.path("kind").asText()).containsExactly("drain", "rebalance");
        } finally {
            lab.down();
        }
    }

    /**
     * Runs {@code aoemigrate --json ARGS} (a drain or rebalance), follows each guest that moved to its
     * new host's console, and checks it counts there.
     */
    private static JsonNode run(LabDriver lab, Map<String, ConsoleHistory> consoles, String... args) throws Exception {
        Map<String, Map<String, Long>> marks = new HashMap<>();
        for (Map.Entry<String, ConsoleHistory> c : consoles.entrySet()) {
            Map<String, Long> m = new HashMap<>();
            for (String h : HOSTS) {
                m.put(h, c.getValue().mark(h));
            }
            marks.put(c.getKey(), m);
        }
        long start = System.nanoTime();
        String[] all = new String[args.length + 1];
        all[0] = "--json";
        System.arraycopy(args, 0, all, 1, args.length);
        Ran ran = lab.aoemigrate(all);
        JsonNode r = ApiJson.MAPPER.readTree(ran.output().substring(ran.output().indexOf('{')));
        assertThat(ran.status()).as(ran.output()).isZero();
        System.out.printf("rebalance lab: %s: %s, score %.4f -> %.4f, %d move(s) in %d ms%n", String.join(" ", args),
                r.path("outcome").asText(), r.path("score_before").asDouble(), r.path("score_after").asDouble(),
                r.path("moves").size(), (System.nanoTime() - start) / 1_000_000);
        for (JsonNode m : r.path("moves")) {
            String guest = m.path("guest").asText();
            String destination = m.path("destination").asText();
            System.out.printf("rebalance lab:   %s %s -> %s %s: %s%n", guest, m.path("source").asText(), destination,
                    m.path("outcome").asText(), m.path("why").asText());
            if ("succeeded".equals(m.path("outcome").asText())) {
                consoles.get(guest).moved(destination, marks.get(guest).get(destination));
                awaitNewTicks(serialLog(destination, guest), 2);
            }
        }
        return r;
    }
}
