package org.aoemigrate.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aoemigrate.orchestrator.api.ApiJson;
import org.aoemigrate.orchestrator.daemon.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a real daemon in this process (fake cluster, in-memory hub). */
class AoemigrateCommandTest {

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int status, String out, String err) {
        JsonNode json() throws Exception {
            return ApiJson.MAPPER.readTree(out);
        }
    }

    static Run run(boolean terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AoemigrateCommand.run(terminal, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(false, args);
    }

    @Nested
    class WithoutADaemon {

        @Test
        void helpListsTheCommandsTheHeadlineFormAndTheExitStatuses() {
            Run r = run("--help");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("aoemigrate [OPTIONS] VM HOST", "migrate", "check", "status", "abort", "history",
                    "exports", "daemon", "generate-completion", "Exit status:", "3   A preflight check said no",
                    "5   No daemon answers");
        }

        @Test
        void everyCommandHasHelpWithTheExitStatusesAndVersion() {
            for (String c : new String[] {"migrate", "check", "status", "abort", "history", "exports", "daemon"}) {
                Run help = run(c, "--help");
                assertThat(help.status()).as(c).isZero();
                assertThat(help.out()).as(c).contains("aoemigrate " + c, "--json", "--config", "--socket", "Exit status:");
                Run version = run(c, "--version");
                assertThat(version.out()).as(c).startsWith("aoemigrate ");
            }
        }

        @Test
        void theHeadlineFormBuildsTheRootAloneAndACommandOrHelpTheWholeTree() {
            assertThat(AoemigrateCommand.commandLine(false, "--config", "inv.yaml", "--json", "vm1", "hostB").getSubcommands())
                    .isEmpty();
            assertThat(AoemigrateCommand.commandLine(false, "--config", "inv.yaml", "status").getSubcommands())
                    .containsKeys("migrate", "status", "daemon", "generate-completion");
            assertThat(AoemigrateCommand.commandLine(false, "--help").getSubcommands()).containsKeys("migrate", "status");
        }

        @Test
        void noArgumentsIsAUsageError() {
            Run r = run();
            assertThat(r.status()).isEqualTo(ExitStatus.USAGE.code());
            assertThat(r.err()).contains("name a guest and a host");
        }

        @Test
        void aGuestWithoutAHostIsAUsageErrorThatSaysWhatToWrite() {
            Run r = run("vm1");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("aoemigrate vm1 HOST");
        }

        @Test
        void anUnknownCutoverIsAUsageError() {
            Run r = run("--socket", dir.resolve("x.sock").toString(), "migrate", "vm1", "hostB", "--cutover", "slow");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--cutover", "slow");
        }

        @Test
        void noDaemonIsOneLineThatSaysWhatToDo() {
            Run r = run("--socket", dir.resolve("api/aoemigrate.sock").toString(), "status");
            assertThat(r.status()).isEqualTo(ExitStatus.NO_DAEMON.code());
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .contains("no aoemigrate daemon is running", dir.resolve("api/aoemigrate.sock").toString(),
                            "aoemigrate daemon --config FILE");
            assertThat(r.out()).isEmpty();
        }

        @Test
        void anInventoryThatCannotBeReadNamesTheFile() throws Exception {
            Path bad = dir.resolve("bad.yaml");
            Files.writeString(bad, "hosts: {}\n");
            Run r = run("--config", bad.toString(), "status");
            assertThat(r.status()).isEqualTo(ExitStatus.CONFIG.code());
            assertThat(r.err()).contains("bad.yaml", "no 'storage:' section");
        }

        @Test
        void aMissingInventorySaysHowToNameIt() {
            Run r = run("--config", dir.resolve("nowhere.yaml").toString(), "history");
            assertThat(r.status()).isEqualTo(ExitStatus.CONFIG.code());
            assertThat(r.err()).contains("no inventory at " + dir.resolve("nowhere.yaml"), "--config FILE", "--socket PATH");
        }

        @Test
        void bashCompletionIsGenerated() {
            Run r = run("generate-completion");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("complete", "aoemigrate", "migrate", "history");
        }
    }

    @Nested
    class AgainstADaemon {

        TestDaemon d;

        @BeforeEach
        void start() throws Exception {
            d = TestDaemon.start(dir);
        }

        @AfterEach
        void stop() {
            d.close();
        }

        String config() {
            return d.config.toString();
        }

        @Test
        void theHeadlineFormMovesTheGuestAndPrintsTheJsonResultOnly() throws Exception {
            Run r = run("--config", config(), "--json", "vm1", "hostB");

            assertThat(r.status()).isZero();
            assertThat(r.err()).isEmpty();
            JsonNode j = r.json();
            assertThat(j.path("id").asText()).startsWith("m-");
            assertThat(j.path("guest").asText()).isEqualTo("vm1");
            assertThat(j.path("source").asText()).isEqualTo("hostA");
            assertThat(j.path("destination").asText()).isEqualTo("hostB");
            assertThat(j.path("outcome").asText()).isEqualTo("succeeded");
            assertThat(j.path("total_ms").isIntegralNumber()).isTrue();
            assertThat(j.path("downtime_ms").isIntegralNumber()).isTrue();
            assertThat(j.path("bytes").asLong()).isGreaterThanOrEqualTo(512L << 20);
            assertThat(j.has("reason") && j.has("failed_check") && j.has("cutover") && j.has("iterations")
                    && j.has("max_downtime_ms")).isTrue();
            assertThat(d.cluster.activeOn("vm1")).containsExactly("hostB");
        }

        @Test
        void theCutoverIsSpelledAsTheHelpSpellsIt() throws Exception {
            Run r = run("--config", config(), "--json", "--cutover", "fenced", "vm1", "hostB");

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.json().path("cutover").asText()).isEqualTo("fenced");
        }

        @Test
        void onAPipeThereIsNoProgressBarButTheMilestonesAndTheResult() {
            Run r = run("--config", config(), "migrate", "vm1", "hostB");

            assertThat(r.status()).isZero();
            assertThat(r.out()).startsWith("vm1 moved from hostA to hostB in ").contains("downtime", "MiB sent");
            assertThat(r.err()).doesNotContain("\r", "ETA", "[#").contains("vm1: reserved", "vm1: cutover", "vm1: finished");
        }

        @Test
        void onATerminalAProgressBarShowsSentRemainingRateEtaAndIteration() {
            Run r = run(true, "--config", config(), "vm1", "hostB");

            assertThat(r.status()).isZero();
            assertThat(r.err()).contains("\r[", "% ", " sent, ", " left, ", "/s, ETA ", "iteration ");
        }

        @Test
        void onATerminalJsonModeHasNoProgressBarEither() {
            Run r = run(true, "--config", config(), "--json", "vm1", "hostB");

            assertThat(r.status()).isZero();
            assertThat(r.err()).isEmpty();
        }

        @Test
        void aRefusalExitsWithThreeAndChangesNothing() throws Exception {
            Run r = run("--config", config(), "--json", "migrate", "vm1", "hostC");

            assertThat(r.status()).isEqualTo(ExitStatus.REFUSED.code());
            assertThat(r.json().path("outcome").asText()).isEqualTo("refused");
            assertThat(r.json().path("failed_check").asText()).isEqualTo("memory");
            assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
        }

        @Test
        void checkSaysYesOrNoWithoutMoving() throws Exception {
            Run yes = run("--config", config(), "check", "vm1", "hostB");
            Run no = run("--config", config(), "check", "vm1", "hostC", "--json");

            assertThat(yes.status()).isZero();
            assertThat(yes.out()).contains("vm1 can move to hostB");
            assertThat(no.status()).isEqualTo(3);
            assertThat(no.json().path("passed").asBoolean()).isFalse();
            assertThat(no.json().path("failed_check").asText()).isEqualTo("memory");
            assertThat(d.cluster.activeOn("vm1")).containsExactly("hostA");
        }

        @Test
        void statusListsHostsGuestsAndExports() throws Exception {
            Run text = run("--config", config(), "status");
            Run json = run("status", "--config", config(), "--json");

            assertThat(text.status()).isZero();
            assertThat(text.out()).contains("hostA", "vm1 (running)", "e1.0", "id=vm1-disk", "MIGRATIONS IN FLIGHT");
            assertThat(json.json().path("hosts")).extracting(h -> h.path("name").asText())
                    .containsExactly("hostA", "hostB", "hostC");
            assertThat(json.json().path("exports").get(0).path("config").asText()).isEqualTo("id=vm1-disk");
            assertThat(json.json().path("migrations").isArray()).isTrue();
        }

        @Test
        void exportsShowWhoMayWriteAfterAMove() throws Exception {
            assertThat(run("--config", config(), "vm1", "hostB").status()).isZero();
            JsonNode e = run("--config", config(), "--json", "exports").json().path("exports").get(0);

            assertThat(e.path("address").asText()).isEqualTo("e1.0");
            assertThat(e.path("reserved_hosts")).extracting(JsonNode::asText).containsExactly("hostB");
            assertThat(e.path("size_bytes").asLong()).isEqualTo(1 << 20);
        }

        @Test
        void historyListsTheMigrations() throws Exception {
            String id = run("--config", config(), "--json", "vm1", "hostB").json().path("id").asText();
            Run text = run("--config", config(), "history");
            JsonNode json = run("--config", config(), "history", "--json").json();

            assertThat(text.out()).contains(id, "vm1", "hostA -> hostB", "finished");
            assertThat(json.path("migrations").get(0).path("id").asText()).isEqualTo(id);
            assertThat(json.path("migrations").get(0).path("last_step").asText()).isEqualTo("finished");
        }

        @Test
        void abortOfNothingRunningExitsWithSeven() {
            Run r = run("--config", config(), "abort", "vm1");
            assertThat(r.status()).isEqualTo(ExitStatus.NOT_FOUND.code());
            assertThat(r.err()).contains("no migration vm1 is running");
        }

        @Test
        void anAbortedMigrationExitsWithFour() throws Exception {
            Thread aborter = new Thread(() -> {
                for (int i = 0; i < 400; i++) {
                    if (run("--config", config(), "abort", "vm2").status() == 0) {
                        return;
                    }
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            aborter.start();
            Run r = run("--config", config(), "--json", "vm2", "hostB");
            aborter.join();

            assertThat(r.status()).isEqualTo(ExitStatus.ABORTED.code());
            assertThat(r.json().path("outcome").asText()).isEqualTo("aborted");
            assertThat(d.cluster.activeOn("vm2")).containsExactly("hostA");
        }
    }
}
