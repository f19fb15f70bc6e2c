package org.aoemigrate.aoe.initiator.etherd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command for a test with a deadline, so a hang fails the test instead of stalling it. */
final class Shell {

    /** exit is -1 when the command was still running at the deadline (it is then killed). */
    record Result(int exit, String output) {
        boolean timedOut() {
            return exit == -1;
        }
    }

    private Shell() {
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return finish(start(command), timeout);
    }

    /** A bash command line. */
    static Result bash(Duration timeout, String script) throws IOException, InterruptedException {
        return run(timeout, "bash", "-c", script);
    }

    static Process start(String... command) throws IOException {
        return new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    }

    static Result finish(Process process, Duration timeout) throws IOException, InterruptedException {
        var output = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                output.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.complete("(output unreadable: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output.getNow("(still running)"));
        }
        reader.join(5000);
        return new Result(process.exitValue(), output.getNow(""));
    }
}
