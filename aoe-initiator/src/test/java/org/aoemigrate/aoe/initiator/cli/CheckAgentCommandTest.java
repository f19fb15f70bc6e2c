package org.aoemigrate.aoe.initiator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckAgentCommandTest {

    private static final String REPORT = """
            {
              "device" : "e1.0",
              "passed" : false,
              "parts" : [ { "part" : "identity", "outcome" : "fail", "detail" : "export id is old, expected vm1" } ]
            }
            """;

    private final List<List<String>> ran = new ArrayList<>();
    private final List<CheckAgentCommand.RequestKind> kinds = new ArrayList<>();

    /** A check that prints the report above as the real one does (indented) and exits 8; a prepare prints nothing. */
    private final CheckAgentCommand agent = new CheckAgentCommand((kind, out, err, args) -> {
        ran.add(List.of(args));
        kinds.add(kind);
        if (kind == CheckAgentCommand.RequestKind.PREPARE) {
            return ExitStatus.OK.code();
        }
        out.print(REPORT);
        return ExitStatus.CHECK_FAILED.code();
    });

    private static List<JsonNode> serve(CheckAgentCommand agent, String requests) throws Exception {
        StringWriter answers = new StringWriter();
        agent.serve(new BufferedReader(new StringReader(requests)), answers);
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : answers.toString().split("\n", -1)) {
            if (!line.isEmpty()) {
                parsed.add(Json.MAPPER.readTree(line));
            }
        }
        assertThat(answers.toString()).endsWith("\n");
        return parsed;
    }

    @Test
    void eachRequestRunsTheCheckCommandLineAndIsAnsweredOnOneLine() throws Exception {
        List<JsonNode> answers = serve(agent, """
                {"id": 1, "args": ["e1.0", "--expect-id", "vm1", "-i", "eth1,eth2", "--json"]}

                {"id": 2, "args": ["e1.1", "--expect-id", "vm2"]}
                """);

        assertThat(ran).containsExactly(List.of("check", "e1.0", "--expect-id", "vm1", "-i", "eth1,eth2", "--json"),
                List.of("check", "e1.1", "--expect-id", "vm2", "--json"));
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).path("id").asLong()).isEqualTo(1);
        assertThat(answers.get(1).path("id").asLong()).isEqualTo(2);
        assertThat(answers.get(0).path("exit").asInt()).isEqualTo(8);
        assertThat(answers.get(0).path("report")).isEqualTo(Json.MAPPER.readTree(REPORT));
        assertThat(answers.get(0).path("error").asText()).isEmpty();
    }

    /** A prepare carries the check's arguments and is run as a prepare of that same command line. */
    @Test
    void aPrepareRequestPreparesTheCheckOfTheSameCommandLineAndIsAnsweredWithoutAReport() throws Exception {
        List<JsonNode> answers = serve(agent, """
                {"id": 1, "prepare": ["e1.0", "--expect-id", "vm1", "-i", "eth1"]}
                {"id": 2, "args": ["e1.0", "--expect-id", "vm1", "-i", "eth1"]}
                """);

        assertThat(kinds).containsExactly(CheckAgentCommand.RequestKind.PREPARE, CheckAgentCommand.RequestKind.CHECK);
        assertThat(ran.get(0)).isEqualTo(ran.get(1)).isEqualTo(List.of("check", "e1.0", "--expect-id", "vm1", "-i", "eth1",
                "--json"));
        assertThat(answers.get(0).path("id").asLong()).isEqualTo(1);
        assertThat(answers.get(0).path("exit").asInt()).isZero();
        assertThat(answers.get(0).path("report").isNull()).isTrue();
        assertThat(answers.get(1).path("exit").asInt()).isEqualTo(8);
    }

    /** The real check command: a prepare that cannot open its interface is answered with the check's status and message. */
    @Test
    void aPrepareThatCannotStartIsAnsweredAsTheCheckWouldFail() throws Exception {
        List<JsonNode> answers = serve(new CheckAgentCommand(), """
                {"id": 5, "prepare": ["e1.0", "--expect-id", "vm1", "-i", "%s"]}
                {"id": 6, "prepare": ["e1.0", "--expect-id", "two words", "-i", "lo"]}
                """.formatted(CheckAgentCommand.WARM_UP_INTERFACE));

        assertThat(answers.get(0).path("id").asLong()).isEqualTo(5);
        assertThat(answers.get(0).path("exit").asInt()).isIn(ExitStatus.NETWORK.code(), ExitStatus.PERMISSION.code());
        assertThat(answers.get(0).path("error").asText()).contains(CheckAgentCommand.WARM_UP_INTERFACE);
        assertThat(answers.get(1).path("exit").asInt()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(answers.get(1).path("error").asText()).contains("export id 'two words' is not");
    }

    @Test
    void aMalformedRequestIsAnsweredAsAUsageErrorAndTheNextOneStillRuns() throws Exception {
        List<JsonNode> answers = serve(agent, """
                check e1.0 --expect-id vm1
                {"id": 3, "args": "e1.0"}
                {"id": 4, "args": ["e1.0", "--expect-id", "vm1"]}
                {"id": 5, "prepare": "e1.0"}
                """);

        assertThat(answers).hasSize(4);
        assertThat(answers.get(0).path("id").isNull()).isTrue();
        assertThat(answers.get(0).path("exit").asInt()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(answers.get(0).path("error").asText()).contains("a request must be {\"id\": N, \"args\"")
                .contains("or {\"id\": N, \"prepare\"").contains("check e1.0 --expect-id vm1");
        assertThat(answers.get(1).path("id").asLong()).isEqualTo(3);
        assertThat(answers.get(1).path("exit").asInt()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(answers.get(2).path("exit").asInt()).isEqualTo(8);
        assertThat(answers.get(3).path("id").asLong()).isEqualTo(5);
        assertThat(answers.get(3).path("error").asText()).contains("no prepare array");
        assertThat(ran).containsExactly(List.of("check", "e1.0", "--expect-id", "vm1", "--json"));
    }

    @Test
    void aCheckThatThrowsFailsThatRequestOnly() throws Exception {
        int[] calls = {0};
        CheckAgentCommand flaky = new CheckAgentCommand((kind, out, err, args) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("a bug");
            }
            out.print(REPORT);
            return 8;
        });
        List<JsonNode> answers = serve(flaky, """
                {"id": 1, "args": ["e1.0", "--expect-id", "vm1"]}
                {"id": 2, "args": ["e1.0", "--expect-id", "vm1"]}
                """);

        assertThat(answers.get(0).path("exit").asInt()).isEqualTo(ExitStatus.SOFTWARE.code());
        assertThat(answers.get(0).path("error").asText()).contains("java.lang.IllegalStateException: a bug");
        assertThat(answers.get(1).path("exit").asInt()).isEqualTo(8);
    }

    /**
     * The daemon waits for the answer, not for the initiator's close; the next check opens its own
     * initiator only once the last one is closed. A stand-in check hands the agent an initiator
     * whose close takes 300 ms, and each event is stamped.
     */
    @Test
    void theInitiatorIsClosedAfterTheAnswerAndTheNextCheckWaitsForTheClose() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CheckAgentCommand[] self = new CheckAgentCommand[1];
        self[0] = new CheckAgentCommand((kind, out, err, args) -> {
            String check = args[1];
            events.add("start " + check);
            self[0].closer().release(() -> {
                Thread.sleep(300);
                events.add("closed " + check);
            });
            out.print(REPORT);
            return 8;
        });
        Writer answers = new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] chars, int offset, int length) {
                line.append(chars, offset, length);
            }

            @Override
            public void flush() throws IOException {
                events.add("answered " + Json.MAPPER.readTree(line.toString()).path("id").asText());
                line.setLength(0);
            }

            @Override
            public void close() {
            }
        };

        self[0].serve(new BufferedReader(new StringReader("""
                {"id": 1, "args": ["e1.0", "--expect-id", "vm1"]}
                {"id": 2, "args": ["e1.1", "--expect-id", "vm2"]}
                """)), answers);

        assertThat(events).containsExactly("start e1.0", "answered 1", "closed e1.0", "start e1.1", "answered 2",
                "closed e1.1");
    }

    /** The real check command behind the loop: its usage errors come back as the command line's would. */
    @Test
    void theRealCheckCommandsErrorsAreAnsweredWithItsExitStatusAndMessage() throws Exception {
        List<JsonNode> answers = serve(new CheckAgentCommand(), """
                {"id": 7, "args": ["e1.0", "--expect-id", "two words", "-i", "lo"]}
                {"id": 8, "args": ["disk1", "--expect-id", "vm1", "-i", "lo"]}
                """);

        assertThat(answers.get(0).path("exit").asInt()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(answers.get(0).path("report").isNull()).isTrue();
        assertThat(answers.get(0).path("error").asText())
                .contains("e1.0: export id 'two words' is not 1 to 1021 printable ASCII characters");
        assertThat(answers.get(1).path("id").asLong()).isEqualTo(8);
        assertThat(answers.get(1).path("exit").asInt()).isEqualTo(ExitStatus.USAGE.code());
        assertThat(answers.get(1).path("error").asText()).contains("'disk1' is not an AoE address");
    }

    /** As root the interface lookup fails (no such device), as others the raw socket: either way before anything is sent. */
    @Test
    void theWarmUpFailsAtTheInterfaceBeforeTouchingADeviceOrTheNetwork() throws Exception {
        StringWriter err = new StringWriter();
        int status = AoeInitiatorCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                CheckAgentCommand.WARM_UP);

        assertThat(status).as(err.toString()).isIn(ExitStatus.NETWORK.code(), ExitStatus.PERMISSION.code());
        assertThat(err.toString()).contains(CheckAgentCommand.WARM_UP_INTERFACE);
        assertThat(new CheckAgentCommand().warmUp()).hasValue(status);
    }

    @Test
    void helpListsTheAgent() {
        assertThat(CliRun.of("--help").out()).contains("  check-agent ");
        CliRun help = CliRun.of("check-agent", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Request: {\"id\": N, \"args\"");
    }
}
