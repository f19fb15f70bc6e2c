package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.cli.AoemigrateCommandTest.Run;
import org.aoemigrate.orchestrator.daemon.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drain}, {@code undrain}, {@code rebalance} and their runs in {@code history}, against a
 * real daemon in this process: vm1 (512 MiB) and vm2 (4 GiB) on hostA, hostB empty, hostC with 256 MiB.
 */
@Timeout(60)
class BalanceCommandsTest {

    @TempDir
    Path dir;

    TestDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = TestDaemon.start(dir);
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = d.config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return AoemigrateCommandTest.run(all);
    }

    private static JsonNode json(Run r) throws Exception {
        return ApiJson.MAPPER.readTree(r.out());
    }

    @Test
    void aDryRunPrintsThePlanWithEachMoveAndWhyAndMovesNothing() throws Exception {
        Run r = run("rebalance", "--dry-run", "--json");

        assertThat(r.status()).as(r.err()).isZero();
        JsonNode plan = json(r);
        assertThat(plan.get("outcome").asText()).isEqualTo("planned");
        assertThat(plan.get("dry_run").asBoolean()).isTrue();
        assertThat(plan.get("score_after").asDouble()).isLessThan(plan.get("score_before").asDouble());
        JsonNode move = plan.get("moves").get(0);
        assertThat(move.get("source").asText()).isEqualTo("hostA");
        assertThat(move.get("destination").asText()).isEqualTo("hostB");
        assertThat(move.get("outcome").asText()).isEqualTo("planned");
        assertThat(move.get("why").asText()).contains("hostA (memory", "score");
        assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
        assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");

        Run text = run("rebalance", "--dry-run");
        assertThat(text.out()).startsWith("rebalance r-").contains("(request, dry run)", "score ", "1. ", "why: ");
        assertThat(json(run("history", "--json")).get("runs")).as("dry runs are not kept").isEmpty();
    }

    @Test
    void drainPutsAnEmptyHostInMaintenanceAndUndrainEndsIt() throws Exception {
        Run drained = run("drain", "hostC");
        assertThat(drained.status()).as(drained.err()).isZero();
        assertThat(drained.out()).contains("drain of hostC", "no moves: hostC runs no guest");
        assertThat(json(run("status", "--json")).get("hosts").get(2).get("maintenance").asBoolean()).isTrue();

        Run undrained = run("undrain", "hostC", "--json");
        assertThat(undrained.status()).isZero();
        assertThat(json(undrained).get("maintenance").asBoolean()).isFalse();
        assertThat(json(undrained).get("changed").asBoolean()).isTrue();
        assertThat(json(run("status", "--json")).get("hosts").get(2).get("maintenance").asBoolean()).isFalse();
    }

    @Test
    void aDrainTheOthersCannotHoldIsRefusedWithExitThreeAndShowsInHistory() throws Exception {
        assertThat(run("drain", "hostB").status()).isZero();

        Run r = run("drain", "hostA");

        assertThat(r.status()).isEqualTo(ExitStatus.REFUSED.code());
        assertThat(r.err()).contains("cannot drain hostA: vm", "nothing moved");
        assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
        assertThat(d.cluster.timeline()).noneMatch(e -> e.startsWith("migrate "));
        JsonNode runs = json(run("history", "--json")).get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).get("kind").asText()).isEqualTo("drain");
        assertThat(runs.get(1).get("host").asText()).isEqualTo("hostA");
        assertThat(runs.get(1).get("outcome").asText()).isEqualTo("refused");
        assertThat(run("history").out()).contains("RUNS", "drain of hostB", "drain of hostA", "nothing moved: cannot drain");
    }

    @Test
    void anUnknownHostIsAUsageError() {
        Run r = run("drain", "hostZ");
        assertThat(r.status()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(r.err()).contains("there is no host hostZ in the inventory; known hosts: hostA, hostB, hostC");
        assertThat(run("rebalance", "--max-moves", "-1").status()).isEqualTo(ExitStatus.USAGE.code());
    }

    @Test
    void aDrainsMaintenanceOutlivesADaemonRestartAndKeepsGuestsOff() throws Exception {
        assertThat(run("drain", "hostB").status()).isZero();
        d.close();
        d = TestDaemon.start(dir);

        assertThat(json(run("status", "--json")).get("hosts").get(1).get("maintenance").asBoolean()).isTrue();
        Run refused = run("--json", "vm1", "hostB");
        assertThat(refused.status()).isEqualTo(ExitStatus.REFUSED.code());
        assertThat(json(refused).get("failed_check").asText()).isEqualTo("maintenance");
        assertThat(run("undrain", "hostB").status()).isZero();
        assertThat(run("--json", "vm1", "hostB").status()).isZero();
        assertThat(d.cluster.activeOn("vm1")).containsExactly("hostB");
    }
}
