package org.aoemigrate.aoe.initiator.etherd;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs the util-linux tools this layer drives (losetup) and reports their failures in full. */
final class Commands {

    /** Long enough for losetup on a busy machine; a hang beyond it is a hung FUSE request. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private Commands() {
    }

    /** Runs the command and returns its standard output; throws with its stderr when it fails. */
    static String run(List<String> argv) throws IOException {
        Running running = start(argv);
        if (!running.awaitExit(DEFAULT_TIMEOUT)) {
            throw new IOException(String.join(" ", argv) + " did not finish within " + DEFAULT_TIMEOUT.toSeconds() + " s");
        }
        return running.result();
    }

    static Running start(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Running(argv, process, drain(process.getInputStream()), drain(process.getErrorStream()));
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** A started command: wait for it (with a deadline the caller may act on), then read its result. */
    record Running(List<String> argv, Process process, CompletableFuture<String> stdout, CompletableFuture<String> stderr) {

        boolean awaitExit(Duration timeout) throws IOException {
            try {
                return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", argv) + " was interrupted", e);
            }
        }

        /** The standard output of the finished command, or an IOException carrying its stderr. */
        String result() throws IOException {
            try {
                int exit = process.waitFor();
                String out = stdout.get();
                if (exit != 0) {
                    throw new IOException(String.join(" ", argv) + " failed (exit " + exit + "): " + stderr.get().strip());
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", argv) + " was interrupted", e);
            } catch (ExecutionException e) {
                throw new IOException(String.join(" ", argv) + ": reading its output failed", e.getCause());
            }
        }
    }
}
