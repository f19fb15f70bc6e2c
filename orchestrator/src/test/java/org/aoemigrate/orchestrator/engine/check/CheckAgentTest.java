package org.aoemigrate.orchestrator.engine.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol against real child processes: small bash scripts standing in for {@code aoe-initiator check-agent}. */
class CheckAgentTest {

    private static final List<String> ARGS = List.of("e1.0", "--expect-id", "vm1-root", "-i", "eth1,eth2", "--json");
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String REPORT = "{\"device\":\"e1.0\",\"passed\":false,\"parts\":[]}";

    /** Reads requests; answers each (with exit 8 and REPORT) as $ANSWER says, logging them to $1. */
    private static String agent(String answer) {
        return "while IFS= read -r line; do [[ $line =~ \\\"id\\\":([0-9]+) ]]; id=${BASH_REMATCH[1]};"
                + " echo \"$line\" >> \"$1\"; " + answer + "; done";
    }

    private static final String ANSWERS = agent(
            "printf '{\"id\":%s,\"exit\":8,\"report\":" + REPORT + ",\"error\":\"a note\"}\\n' \"$id\"");

    @TempDir
    Path dir;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<CheckAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(CheckAgent::close);
    }

    private CheckAgent start(String script) {
        CheckAgent a = new CheckAgent("hostB", List.of("bash", "-c", script, "agent", dir.resolve("requests").toString()),
                log::add);
        agents.add(a);
        a.start();
        return a;
    }

    private List<String> requests() throws IOException {
        Path p = dir.resolve("requests");
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void oneProcessAnswersEveryCheckWithItsExitStatusReportAndError() throws Exception {
        CheckAgent a = start(ANSWERS);
        long pid = a.pid().orElseThrow();

        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(8, REPORT, "a note"));
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(8, REPORT, "a note"));

        assertThat(a.pid()).hasValue(pid);
        assertThat(requests()).hasSize(2);
        assertThat(requests().get(0)).contains("\"id\":1").contains("\"args\":[\"e1.0\",\"--expect-id\",\"vm1-root\","
                + "\"-i\",\"eth1,eth2\",\"--json\"]");
        assertThat(requests().get(1)).contains("\"id\":2");
        assertThat(log).isEmpty();
    }

    /** Prepares go out at once; their answers (from a refused move's prepare, too) are taken before the check's. */
    @Test
    void preparesAreSentAtOnceAndTheirAnswersTakenBeforeTheChecks() throws Exception {
        CheckAgent a = start(ANSWERS);

        a.prepare(ARGS);
        a.prepare(ARGS);
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(8, REPORT, "a note"));

        assertThat(requests()).hasSize(3);
        assertThat(requests().get(0)).contains("\"id\":1").contains("\"prepare\":[\"e1.0\",\"--expect-id\",\"vm1-root\","
                + "\"-i\",\"eth1,eth2\",\"--json\"]").doesNotContain("\"args\"");
        assertThat(requests().get(1)).contains("\"id\":2").contains("\"prepare\":");
        assertThat(requests().get(2)).contains("\"id\":3").contains("\"args\":");
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(8, REPORT, "a note"));
        assertThat(log).isEmpty();
    }

    /** An agent older than the prepare request answers it as malformed: its checks go on as before. */
    @Test
    void anAgentThatDoesNotKnowPrepareStillAnswersTheCheck() throws Exception {
        CheckAgent a = start(agent("if [[ $line == *prepare* ]]; then"
                + " printf '{\"id\":%s,\"exit\":2,\"report\":null,\"error\":\"a request must be {id, args}\"}\\n' \"$id\";"
                + " else printf '{\"id\":%s,\"exit\":0,\"report\":null,\"error\":\"\"}\\n' \"$id\"; fi"));
        long pid = a.pid().orElseThrow();

        a.prepare(ARGS);

        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(0, "", ""));
        assertThat(a.pid()).hasValue(pid);
        assertThat(log).isEmpty();
    }

    /** The agent ends on a prepare: the check is left to the caller (one-shot), and the agent restarted. */
    @Test
    void anAgentThatDiesOnAPrepareLeavesTheCheckToTheCaller() throws Exception {
        CheckAgent a = start(agent("[[ $line == *prepare* ]] && exit 1;"
                + " printf '{\"id\":%s,\"exit\":0,\"report\":null,\"error\":\"\"}\\n' \"$id\""));
        long first = a.pid().orElseThrow();

        a.prepare(ARGS);

        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(log).singleElement().asString().startsWith("restarting the check agent on hostB: it");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first);
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(0, "", ""));
    }

    /**
     * An agent stuck on a prepare: the prepare itself returned at once, and the check does not fail
     * (as one the agent never answers would) but is left to the caller once the prepare's answer is
     * overdue.
     */
    @Test
    void anAgentThatDoesNotAnswerAPrepareLeavesTheCheckToTheCaller() throws Exception {
        CheckAgent a = start(agent("[[ $line == *prepare* ]] && sleep 60;"
                + " printf '{\"id\":%s,\"exit\":0,\"report\":null,\"error\":\"\"}\\n' \"$id\""));
        long first = a.pid().orElseThrow();
        long start = System.nanoTime();

        a.prepare(ARGS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("prepare returned").isLessThan(1_000);
        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(log).singleElement().asString().contains("it did not answer prepare request 1 within 2 s");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void aPrepareToAnAgentThatIsNotRunningDoesNothing() throws Exception {
        CheckAgent a = new CheckAgent("hostB", List.of(dir.resolve("no-such-launcher").toString(), "check-agent"), log::add);
        agents.add(a);
        a.start();
        log.clear();

        a.prepare(ARGS);

        assertThat(log).isEmpty();
        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
    }

    @Test
    void anAgentThatDiedIsRestartedAndThatCheckLeftToTheCaller() throws Exception {
        // answers its first request, then ends as a crashed JVM would
        CheckAgent a = start(agent("printf '{\"id\":%s,\"exit\":0,\"report\":null,\"error\":\"\"}\\n' \"$id\";"
                + " echo 'java: out of memory' >&2; exit 134"));
        long first = a.pid().orElseThrow();
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(0, "", ""));
        ProcessHandle.of(first).ifPresent(p -> p.onExit().join());

        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();

        assertThat(log).singleElement().asString().startsWith("restarting the check agent on hostB: it had ended: exit 134,"
                + " last said: java: out of memory");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first);
        assertThat(a.check(ARGS, TIMEOUT)).contains(new ExecResult(0, "", ""));
    }

    @Test
    void anAgentThatEndsWhileAnsweringIsRestarted() throws Exception {
        CheckAgent a = start(agent("exit 3"));
        long first = a.pid().orElseThrow();

        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();

        assertThat(log).singleElement().asString().contains("restarting the check agent on hostB:");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void garbageOrAnotherRequestsAnswerRestartsTheAgent() throws Exception {
        CheckAgent a = start(agent("echo 'Picked up JAVA_TOOL_OPTIONS: -Xmx64m'"));
        long first = a.pid().orElseThrow();

        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(log).singleElement().asString().startsWith("restarting the check agent on hostB: it answered request 1"
                + " with: Picked up JAVA_TOOL_OPTIONS: -Xmx64m");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first);

        CheckAgent b = start(agent("printf '{\"id\":99,\"exit\":0,\"report\":null,\"error\":\"\"}\\n'"));
        assertThat(b.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(log).hasSize(2).last().asString().contains("it answered request 1 with: {\"id\":99,");
    }

    @Test
    void anAgentThatDoesNotAnswerInTimeFailsTheCheckAndIsKilledWithWhatItStarted() throws Exception {
        CheckAgent a = start(agent("sleep 60"));
        ProcessHandle first = ProcessHandle.of(a.pid().orElseThrow()).orElseThrow();
        CompletableFuture<Optional<ExecResult>> check = async(a, Duration.ofSeconds(2));
        List<ProcessHandle> started = List.of();
        while (started.isEmpty() && !check.isDone()) {
            Thread.sleep(10);
            started = first.descendants().toList(); // the sleep
        }

        assertThatThrownBy(() -> check.get(20, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IOException.class)
                .hasRootCauseMessage("the check agent on hostB did not answer within 2 s");

        assertThat(started).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(first.isAlive()).isFalse();
        assertThat(log).singleElement().asString().contains("it did not answer within 2 s");
        assertThat(a.pid().orElseThrow()).isNotEqualTo(first.pid());
    }

    private static CompletableFuture<Optional<ExecResult>> async(CheckAgent a, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return a.check(ARGS, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aBusyAgentLeavesAConcurrentCheckToTheCaller() throws Exception {
        CheckAgent a = start(agent("sleep 1; printf '{\"id\":%s,\"exit\":0,\"report\":null,\"error\":\"\"}\\n' \"$id\""));
        CompletableFuture<Optional<ExecResult>> first = async(a, TIMEOUT);
        while (requests().isEmpty()) {
            Thread.sleep(10);
        }

        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();

        assertThat(first.get(20, TimeUnit.SECONDS)).contains(new ExecResult(0, "", ""));
        assertThat(log).isEmpty();
    }

    @Test
    void anAgentThatCannotStartIsToldAndLeavesItsChecksToTheCaller() throws Exception {
        CheckAgent a = new CheckAgent("hostB", List.of(dir.resolve("no-such-launcher").toString(), "check-agent"), log::add);
        agents.add(a);
        a.start();

        assertThat(a.pid()).isEmpty();
        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(log).first().asString().startsWith("the check agent on hostB cannot start ('" + dir.resolve("no-such-launcher")
                + " check-agent'): ");
    }

    @Test
    void closeEndsTheAgentThroughItsInput() throws Exception {
        CheckAgent a = start(ANSWERS);
        ProcessHandle p = ProcessHandle.of(a.pid().orElseThrow()).orElseThrow();
        long start = System.nanoTime();

        a.close();

        assertThat(p.isAlive()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ended on its own, not killed after 5 s")
                .isLessThan(4_000);
        assertThat(a.check(ARGS, TIMEOUT)).isEmpty();
        assertThat(a.pid()).isEmpty();
        assertThat(log).isEmpty();
    }
}
