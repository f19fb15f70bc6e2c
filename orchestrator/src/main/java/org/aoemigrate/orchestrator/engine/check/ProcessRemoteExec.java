package org.aoemigrate.orchestrator.engine.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@link RemoteExec} as a local child process (the prefix, e.g. ssh, does the remote part). */
public final class ProcessRemoteExec implements RemoteExec {

    @Override
    public ExecResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("'" + String.join(" ", command) + "' did not finish within " + timeout.toSeconds() + " s");
        }
        try {
            return new ExecResult(p.exitValue(), out.get(), err.get());
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of '" + String.join(" ", command) + "'", e.getCause());
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
