package org.aoemigrate.aoe.initiator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.aoe.initiator.check.RunningLookup;

/**
 * The check agent's one lookup started ahead of its check: a prepare request starts the device
 * lookup of a check (discovery and the stranger grace, which need no reservation) while the
 * daemon still runs its preflight and reserves the disks; the check that follows with the very
 * same arguments takes it, initiator and all, and has only the rest of the grace to wait for.
 *
 * <p>A lookup is taken only while it is at most {@link #MAX_AGE} old; anything else kept when a
 * check comes is closed, and the check runs as without it. One that no check takes closes itself
 * at that age. Whatever it closes is closed before the call returns, so two checks' sockets never
 * overlap.
 */
final class PreparedLookup implements AutoCloseable {

    /**
     * How old a lookup may be for its check to use it. The check is a snapshot of who answers for the
     * device; from a lookup this old it is as much a snapshot of this moment of the move as one taken
     * now: the daemon sends the prepare some 10-20 ms before the check (a slow libvirt or journal may
     * make it hundreds), the libvirt copy that follows takes seconds, and a stranger that starts later
     * than either is not seen by any check. Older than that, the prepare belonged to another move
     * (refused after it was sent) or the daemon stalled: the check starts its own lookup as before.
     */
    static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final Duration maxAge;
    private final PrintWriter log;
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "check-agent-prepared-expiry");
        t.setDaemon(true); // nothing it waits for may keep the agent alive after its input ends
        return t;
    });
    private List<String> args;
    private RunningLookup kept;

    /** @param log where a failed close is told (the agent's stderr, which the daemon logs) */
    PreparedLookup(Duration maxAge, PrintWriter log) {
        this.maxAge = maxAge;
        this.log = log;
    }

    /** Keeps {@code lookup} for the check with {@code checkArgs}; closes whatever was kept before. */
    synchronized void keep(List<String> checkArgs, RunningLookup lookup) {
        closeKept();
        args = List.copyOf(checkArgs);
        kept = lookup;
        expiry.schedule(() -> expire(lookup), maxAge.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The lookup kept for a check with exactly {@code checkArgs}, if it is at most {@link #MAX_AGE}
     * old; whatever else is kept is closed. Either way nothing is kept afterwards.
     */
    synchronized Optional<RunningLookup> take(List<String> checkArgs) {
        if (kept != null && args.equals(checkArgs) && kept.age().compareTo(maxAge) <= 0) {
            RunningLookup taken = kept;
            kept = null;
            return Optional.of(taken);
        }
        closeKept();
        return Optional.empty();
    }

    /** Closes what is kept, if it is still {@code lookup}: no check came for it in time. */
    private synchronized void expire(RunningLookup lookup) {
        if (kept == lookup) {
            closeKept();
        }
    }

    private void closeKept() {
        if (kept == null) {
            return;
        }
        try {
            kept.close();
        } catch (IOException e) {
            // nothing depends on it; its sockets go with the process at the latest
            log.println(AoeInitiatorCommand.PREFIX + "check-agent: closing a prepared lookup of " + kept.device()
                    + " failed: " + e);
            log.flush();
        }
        kept = null;
        args = null;
    }

    /** Closes what is kept and stops the expiry thread. */
    @Override
    public synchronized void close() {
        closeKept();
        expiry.shutdownNow();
    }
}
