package org.aoemigrate.orchestrator.engine.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One host's resident {@code aoe-initiator check-agent}, started through the host's exec prefix:
 * a request is one line of JSON on its stdin ({@code {"id": N, "args": [check's arguments]}}), the
 * answer one line on its stdout ({@code {"id": N, "exit": S, "report": {...}, "error": "..."}}),
 * which is what a one-shot {@code check} would have exited with and printed.
 *
 * <p>{@link #prepare} sends {@code {"id": N, "prepare": [check's arguments]}} ahead of that check:
 * the agent starts the check's device lookup, which needs no reservation, and answers at once. The
 * daemon does not wait for that answer; the next {@link #check} takes it first, whatever it says
 * (an agent older than the request answers it as malformed), and an agent that does not give it
 * is replaced as for a check, the check then left to the caller: a prepare never decides a check.
 *
 * <p>An agent that is not running, has died, or answers anything but the answer to the request it
 * was sent is replaced by a new one, and {@link #check} returns empty: the caller runs that check
 * one-shot, so a broken agent never passes or refuses a move. One that does not answer within the
 * timeout is replaced too, and the check fails as a one-shot check that did not finish would.
 */
final class CheckAgent implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a stopping agent gets to end by itself once its input is closed (the launcher may write a class archive). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /**
     * How long a check waits for the answers to the prepares sent before it, at most: an agent
     * answers one as soon as it has opened its sockets and started a thread (milliseconds).
     */
    private static final Duration PREPARE_ANSWER = Duration.ofSeconds(2);

    private final String host;
    private final List<String> command;
    private final Consumer<String> log;
    /** One request at a time; a check that finds the agent busy runs one-shot instead of waiting. */
    private final ReentrantLock busy = new ReentrantLock();
    private volatile Running running;
    private volatile boolean closed;
    private long lastId;

    /**
     * @param command the agent's full command line, the host's exec prefix included
     * @param log     where restarts are told, with their reason
     */
    CheckAgent(String host, List<String> command, Consumer<String> log) {
        this.host = host;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /** Starts the process (the JVM starts in the background); a start that fails is told and retried at the next check. */
    synchronized void start() {
        if (closed || running != null) {
            return;
        }
        try {
            running = new Running(new ProcessBuilder(command).start(), host);
        } catch (IOException e) {
            log.accept("the check agent on " + host + " cannot start ('" + String.join(" ", command) + "'): "
                    + e.getMessage() + "; checks on " + host + " run one-shot until it does");
        }
    }

    /** The agent's process id, while it runs. */
    OptionalLong pid() {
        Running r = running;
        return r == null ? OptionalLong.empty() : OptionalLong.of(r.process.pid());
    }

    /**
     * Asks the agent to start the device lookup of {@code check ARGS} now, so that the check with the
     * same arguments has less to wait for. Returns at once; the answer is taken by the next
     * {@link #check}. Does nothing if the agent is busy with a check, not running or closed; a
     * request it cannot take is left for that check to find.
     */
    void prepare(List<String> args) {
        if (!busy.tryLock()) {
            return;
        }
        try {
            Running r = running;
            if (closed || r == null || !r.process.isAlive()) {
                return;
            }
            long id = ++lastId;
            r.send(JSON.writeValueAsString(Map.of("id", id, "prepare", args)));
            r.prepares.add(id);
        } catch (IOException e) {
            // the agent's input is gone: the check finds it so, restarts the agent and runs one-shot, as without this
        } finally {
            busy.unlock();
        }
    }

    /**
     * The agent's answer to {@code check ARGS}, or empty if it has none to give (busy with another
     * check, not running, died, answered garbage, did not answer a prepare: then it is restarted)
     * and the caller should run the check one-shot.
     *
     * @throws IOException if it did not answer within {@code timeout} (it is restarted)
     */
    Optional<ExecResult> check(List<String> args, Duration timeout) throws IOException, InterruptedException {
        if (!busy.tryLock()) {
            return Optional.empty();
        }
        try {
            Running r = running;
            if (closed) {
                return Optional.empty();
            }
            if (r == null || !r.process.isAlive()) {
                restart(r == null ? "it was not running" : "it had ended: " + r.lastError());
                return Optional.empty();
            }
            if (!takePrepareAnswers(r)) {
                return Optional.empty();
            }
            long id = ++lastId;
            try {
                r.send(JSON.writeValueAsString(Map.of("id", id, "args", args)));
            } catch (IOException e) {
                // a closed pipe is most often an agent that has just ended, before the JVM noticed its
                // exit: a moment's wait lets the log say how it ended rather than "still running"
                r.process.waitFor(Running.LAST_WORDS_MILLIS, TimeUnit.MILLISECONDS);
                restart(r.process.isAlive() ? "it did not take a request (" + e.getMessage() + "): " + r.lastError()
                        : "it had ended: " + r.lastError());
                return Optional.empty();
            }
            String line = nextLine(r, timeout, "it ran");
            if (line == null) {
                restart("it did not answer within " + timeout.toSeconds() + " s");
                throw new IOException("the check agent on " + host + " did not answer within " + timeout.toSeconds() + " s");
            }
            if (line == Running.END) {
                restart("it ended: " + r.lastError());
                return Optional.empty();
            }
            Optional<ExecResult> answer = answer(line, id);
            if (answer.isEmpty()) {
                restart("it answered request " + id + " with: " + line);
            }
            return answer;
        } finally {
            busy.unlock();
        }
    }

    /**
     * Takes the answers to the prepares sent since the last check, whatever their exit status: a
     * prepare that failed only means the check starts its own lookup. False if one did not come
     * (the agent is then restarted).
     */
    private boolean takePrepareAnswers(Running r) throws InterruptedException {
        for (Long id = r.prepares.poll(); id != null; id = r.prepares.poll()) {
            String line = nextLine(r, PREPARE_ANSWER, "it waited for a prepare's answer");
            if (line == null) {
                restart("it did not answer prepare request " + id + " within " + PREPARE_ANSWER.toSeconds() + " s");
                return false;
            }
            if (line == Running.END) {
                restart("it ended: " + r.lastError());
                return false;
            }
            if (!answers(line, id)) {
                restart("it answered prepare request " + id + " with: " + line);
                return false;
            }
        }
        return true;
    }

    /**
     * The agent's next line within {@code wait}, or null if none came. Interrupted, the agent is
     * restarted: its late answer must not be taken for the next request's.
     */
    private String nextLine(Running r, Duration wait, String during) throws InterruptedException {
        try {
            return r.answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            restart("a check was interrupted while " + during);
            throw e;
        }
    }

    /** Whether {@code line} is an answer (of any exit status) to request {@code id}. */
    private static boolean answers(String line, long id) {
        try {
            JsonNode a = JSON.readTree(line);
            return a.path("id").asLong(-1) == id && a.path("exit").isInt();
        } catch (IOException e) {
            return false;
        }
    }

    /** The answer if {@code line} is the answer to request {@code id}. */
    private static Optional<ExecResult> answer(String line, long id) {
        try {
            JsonNode a = JSON.readTree(line);
            if (a.path("id").asLong(-1) != id || !a.path("exit").isInt() || !a.path("error").isTextual()) {
                return Optional.empty();
            }
            JsonNode report = a.path("report");
            return Optional.of(new ExecResult(a.path("exit").asInt(), report.isObject() ? report.toString() : "",
                    a.path("error").asText()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private synchronized void restart(String reason) {
        if (closed) {
            return;
        }
        log.accept("restarting the check agent on " + host + ": " + reason
                + "; this check runs one-shot if it can");
        Running old = running;
        running = null;
        if (old != null) {
            old.kill();
        }
        start();
    }

    /** Closes the agent's input: it ends by itself once it has answered. {@link #close} waits for it. */
    synchronized void closeInput() {
        closed = true;
        Running r = running;
        if (r != null) {
            r.closeInput();
        }
    }

    /** Stops the agent: its input closed, up to 5 s to end, then its processes killed by their pids. */
    @Override
    public void close() {
        closeInput();
        Running r;
        synchronized (this) {
            r = running;
            running = null;
        }
        if (r != null) {
            r.stop(STOP_GRACE);
        }
    }

    /** A started agent process: its stdin, the lines it answered, the last line of its stderr. */
    private static final class Running {

        /** Put on {@link #answers} when stdout ends. */
        static final String END = new String("(end of output)");

        final Process process;
        final Writer stdin;
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        /** The ids of the prepares sent whose answers no check has taken yet, oldest first (under the busy lock). */
        final Queue<Long> prepares = new ArrayDeque<>();
        /** How long a dead agent's last words may take to be read once it has exited. */
        private static final long LAST_WORDS_MILLIS = 1000;

        private final Thread errors;
        private volatile String lastError = "";

        Running(Process process, String host) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            reader("check agent " + host + " stdout", this::readAnswers);
            this.errors = reader("check agent " + host + " stderr", this::readErrors);
        }

        private static Thread reader(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        void send(String request) throws IOException {
            stdin.write(request);
            stdin.write('\n');
            stdin.flush();
        }

        private void readAnswers() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    answers.add(line);
                }
            } catch (IOException e) {
                // the process is gone: END says so
            } finally {
                answers.add(END);
            }
        }

        /** Drains stderr (a full pipe would stall the agent) and keeps its last line for when the agent dies. */
        private void readErrors() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (!line.isBlank()) {
                        lastError = line;
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }

        /** How it ended: its exit status and its last line on stderr, once the reader has it. */
        String lastError() {
            if (!process.isAlive()) {
                try {
                    // it has exited, but its stderr may still hold lines the reader has not taken
                    errors.join(LAST_WORDS_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String exit = process.isAlive() ? "still running" : "exit " + process.exitValue();
            return lastError.isEmpty() ? exit : exit + ", last said: " + lastError;
        }

        void closeInput() {
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
        }

        void stop(Duration grace) {
            closeInput();
            try {
                if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kill();
        }

        /**
         * Kills the process and everything it started, by pid: the exec prefix (a shell, nsenter, ssh)
         * and the JVM under it do not all end when the prefix's first process does.
         */
        void kill() {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            try {
                CompletableFuture.allOf(all.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // one ignored SIGTERM: SIGKILL below
            }
            all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
