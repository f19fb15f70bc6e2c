package org.aoemigrate.aoe.initiator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code check-agent}: the destination check without a JVM start per check. The orchestrator's
 * daemon keeps one running on each host (through the host's exec prefix) and writes it one
 * request per line, each answered on one line:
 *
 * <ul>
 * <li>{@code {"id": N, "args": [ARGS]}}: the {@code check} command line, run in full as
 *     {@code aoe-initiator check ARGS --json} would run it (node, driver state, discovery, identity,
 *     size, answering MACs, reads) on a new initiator, unless a prepare request with the same ARGS
 *     left one (below).</li>
 * <li>{@code {"id": N, "prepare": [ARGS]}}: starts that check's device lookup (discovery and the
 *     stranger grace: Query Config only, which needs no reservation) on a new initiator, and is
 *     answered as soon as it runs, with exit 0 and no report. The daemon sends it during its preflight,
 *     before the disks are reserved to this host, so that the check after the reservation has only
 *     what is left of the grace to wait for. The agent keeps one such lookup, for up to
 *     {@link PreparedLookup#MAX_AGE} ({@link PreparedLookup}). An agent older than this request
 *     answers it as a malformed request (exit 2), which the daemon ignores.</li>
 * </ul>
 */
@Command(name = "check-agent", description = {
    "Answers destination checks, one per line, until its input ends (the aoemigrate daemon keeps one running"
            + " on each host, so that a check costs no JVM start).",
    "Request: {\"id\": N, \"args\": [\"e1.0\", \"--expect-id\", \"vm1\", ...]}, the arguments of 'check'"
            + " (--json is implied).",
    "Answer:  {\"id\": N, \"exit\": STATUS, \"report\": {check's JSON report, or null}, \"error\": \"what check"
            + " printed on stderr\"}; STATUS is what 'check' would exit with.",
    "Prepare: {\"id\": N, \"prepare\": [the arguments of a check]} starts that check's device lookup (discovery and"
            + " the stranger grace, which need no reservation) and is answered at once ({\"id\": N, \"exit\": 0,"
            + " \"report\": null, ...}); a check with the same arguments within 2 s uses it, else it is closed.",
    "Apart from that, each request runs the whole check afresh. Only answers go to stdout.",
    "A check's initiator is closed after its answer is written; the next request waits for that close.",
    "The next check's command-line model is built while the agent waits for it; each serves one request.",
    "At its start it warms up with a check through an interface that does not exist (" + CheckAgentCommand.WARM_UP_INTERFACE
            + "), which fails before any device or network is touched.",
})
final class CheckAgentCommand implements Callable<Integer> {

    /**
     * What a request asks for: its check, or only that check's device lookup started
     * ({@link PreparedLookup}); each names the request's field that holds the check's arguments.
     */
    enum RequestKind {
        CHECK("args"), PREPARE("prepare");

        final String field;

        RequestKind(String field) {
            this.field = field;
        }
    }

    /**
     * Runs one {@code aoe-initiator} command line as {@code kind} asks, its results to {@code out},
     * diagnostics to {@code err}.
     */
    @FunctionalInterface
    interface Runner {
        int run(RequestKind kind, PrintWriter out, PrintWriter err, String... args);
    }

    /** The interface the warm-up names: one that no host has (the warm-up is skipped if one does). */
    static final String WARM_UP_INTERFACE = "chkagent-warmup";

    /**
     * A check through an interface that does not exist: it loads what every check loads (picocli's
     * model, the check, the raw-socket binding) and fails when it looks the interface up, before
     * any device, sysfs entry or network is touched.
     */
    static final String[] WARM_UP = {"check", "e0.0", "--expect-id", "warm-up", "-i", WARM_UP_INTERFACE, "--json"};

    /** One line per answer, whatever the check's own JSON printer does. */
    private static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final CheckAgentCloser closer = new CheckAgentCloser(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    private final PreparedLookup prepared = new PreparedLookup(PreparedLookup.MAX_AGE,
            new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    private final NextCheckModel models = new NextCheckModel();
    private final Runner runner;
    /** Runs once an answer is out, while the agent waits for the next request. */
    private final Runnable betweenRequests;

    CheckAgentCommand() {
        this.runner = this::runClosingAfterAnswer;
        this.betweenRequests = models::prepare;
    }

    /** An agent whose checks {@code runner} runs; what it hands to {@link #closer()} is closed after the answer. */
    CheckAgentCommand(Runner runner) {
        this.runner = runner;
        this.betweenRequests = () -> { };
    }

    CheckAgentCloser closer() {
        return closer;
    }

    /**
     * Runs a command line as {@code aoe-initiator} would, but a check leaves its initiator to
     * {@link #closer} and uses the lookup a prepare with the same arguments started; a prepare
     * leaves its started lookup to {@link #prepared}.
     */
    private int runClosingAfterAnswer(RequestKind kind, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = models.take(args);
        CommandLine check = cli.getSubcommands().get("check");
        if (check != null) {
            CheckCommand command = (CheckCommand) check.getCommand();
            List<String> key = List.of(args);
            if (kind == RequestKind.PREPARE) {
                command.prepareOnly = lookup -> prepared.keep(key, lookup);
            } else {
                command.release = closer::release;
                command.startedAhead = prepared.take(key);
            }
        }
        return AoeInitiatorCommand.RUNNER.run(cli, out, err, args);
    }

    record Answer(Long id, int exit, JsonNode report, String error) {
    }

    @Override
    public Integer call() throws IOException {
        Writer answers = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        // stdout is the answer channel: anything else that would print there (a library's notice) goes to stderr
        System.setOut(System.err);
        warmUp();
        betweenRequests.run();
        serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), answers);
        return ExitStatus.OK.code();
    }

    /**
     * Runs {@link #WARM_UP} once, so that the first request after the agent's start costs about what
     * any other does (in the lab 0.30 s instead of 0.56 s); its outcome is of no use and not kept.
     *
     * @return its exit status, or empty if it did not run (an interface of that name exists)
     */
    OptionalInt warmUp() throws SocketException {
        if (NetworkInterface.getByName(WARM_UP_INTERFACE) != null) {
            return OptionalInt.empty();
        }
        try (PrintWriter discard = new PrintWriter(Writer.nullWriter())) {
            return OptionalInt.of(runner.run(RequestKind.CHECK, discard, discard, WARM_UP));
        }
    }

    /**
     * Answers each request line until the input ends. A check's initiator is closed after its
     * answer; the next check starts when that close is done. A prepared lookup left at the end is closed.
     */
    void serve(BufferedReader requests, Writer answers) throws IOException {
        try (prepared) {
            for (String line = requests.readLine(); line != null; line = requests.readLine()) {
                if (!line.isBlank()) {
                    closer.awaitClosed();
                    answers.write(answer(line));
                    answers.write('\n');
                    answers.flush();
                    betweenRequests.run();
                }
            }
            closer.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("check-agent was interrupted while a check's initiator closed");
        }
    }

    /** The answer to one request line, as one line of JSON. */
    String answer(String request) throws JsonProcessingException {
        Long id = null;
        Answer answer;
        try {
            JsonNode r = Json.MAPPER.readTree(request);
            id = r.path("id").isIntegralNumber() ? r.path("id").asLong() : null;
            RequestKind kind = r.has(RequestKind.PREPARE.field) ? RequestKind.PREPARE : RequestKind.CHECK;
            answer = run(id, kind, arguments(r, kind.field));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            answer = new Answer(id, ExitStatus.USAGE.code(), null, AoeInitiatorCommand.PREFIX + "check-agent: a request"
                    + " must be {\"id\": N, \"args\": [check's arguments as strings]} or {\"id\": N, \"prepare\": [the"
                    + " same]}; this one is not (" + e.getMessage().lines().findFirst().orElse("") + "): " + request);
        }
        return ONE_LINE.writeValueAsString(answer);
    }

    /** The {@code check} command line that the request's {@code field} holds the arguments of. */
    private static List<String> arguments(JsonNode request, String field) {
        JsonNode args = request.path(field);
        if (!request.path("id").isIntegralNumber() || !args.isArray()) {
            throw new IllegalArgumentException("no integer id or no " + field + " array");
        }
        List<String> argv = new ArrayList<>(List.of("check"));
        for (JsonNode a : args) {
            if (!a.isTextual()) {
                throw new IllegalArgumentException("argument " + a + " is not a string");
            }
            argv.add(a.asText());
        }
        if (!argv.contains("--json")) {
            argv.add("--json");
        }
        return argv;
    }

    /** Runs {@code check} as its command line would (or prepares it); its JSON report (stdout) becomes the answer's report. */
    private Answer run(Long id, RequestKind kind, List<String> argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = runner.run(kind, o, e, argv.toArray(String[]::new));
        } catch (RuntimeException e) {
            // a bug in one check must not end the agent: that request fails as the one-shot command would
            exit = ExitStatus.SOFTWARE.code();
            err.append(AoeInitiatorCommand.PREFIX).append(String.valueOf(e)).append('\n');
        }
        JsonNode report = null;
        if (!out.toString().isBlank()) {
            try {
                report = Json.MAPPER.readTree(out.toString());
            } catch (JsonProcessingException e) {
                err.append(out.toString()); // not a report (e.g. a usage text): the caller sees it as what went wrong
            }
        }
        return new Answer(id, exit, report, err.toString());
    }
}
