package org.aoemigrate.orchestrator.engine.check;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a command on a host: the host's exec prefix ({@code ssh root@hostB}) followed by the command. */
@FunctionalInterface
public interface RemoteExec {

    /** Runs {@code command} (prefix included) and waits at most {@code timeout}; IOException if it cannot start or times out. */
    ExecResult run(List<String> command, Duration timeout) throws IOException, InterruptedException;
}
