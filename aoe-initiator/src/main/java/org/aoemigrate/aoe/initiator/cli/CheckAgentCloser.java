package org.aoemigrate.aoe.initiator.cli;

import java.io.PrintWriter;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closes each check's initiator after the check agent has answered: the daemon waits for the
 * answer, not for the close (closing a packet socket waits for the kernel's RCU grace period, about
 * 15 ms per interface in the lab). One close at a time, and {@link #awaitClosed} lets the agent start
 * the next check only once the last initiator is closed, so two checks' sockets never overlap.
 */
final class CheckAgentCloser {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "check-agent-close");
        t.setDaemon(true); // a close stuck in the kernel must not keep the agent alive after its input ends
        return t;
    });
    private final PrintWriter log;
    private Future<?> pending;

    /** @param log where a failed close is told (the agent's stderr, which the daemon logs) */
    CheckAgentCloser(PrintWriter log) {
        this.log = log;
    }

    /** Closes {@code resource} on the closer's thread; returns at once. */
    synchronized void release(AutoCloseable resource) {
        pending = thread.submit(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                // the check's verdict is already given; the sockets go with the process at the latest
                log.println(AoeInitiatorCommand.PREFIX + "check-agent: closing a check's initiator after its answer failed: " + e);
                log.flush();
            }
        });
    }

    /** Waits until what was last released is closed. */
    synchronized void awaitClosed() throws InterruptedException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("closing a check's initiator after its answer failed", e.getCause());
        }
        pending = null;
    }
}
