package org.aoemigrate.aoe.initiator;

import java.time.Duration;
import java.util.List;

/**
 * A request went unanswered past the deadline ({@link RetransmitPolicy#deadline()}, like Linux
 * {@code aoe_deadsecs}): every path was tried and none answered in time.
 */
public final class AoeTimeoutException extends AoeException {

    private static final long serialVersionUID = 1L;

    private final long lba;
    private final List<String> pathsTried;
    private final Duration waited;

    public AoeTimeoutException(AoeAddress device, String operation, long lba, List<String> pathsTried,
            Duration waited, int attempts) {
        super(device + ": no answer to " + operation + " after " + millis(waited) + " and " + attempts
                + (attempts == 1 ? " transmission" : " transmissions") + " over "
                + (pathsTried.isEmpty() ? "no path (none had room)" : String.join(", ", pathsTried))
                + "; check that the target runs, that its mask list admits this host, and the cabling");
        this.lba = lba;
        this.pathsTried = List.copyOf(pathsTried);
        this.waited = waited;
    }

    /** The first sector of the request that timed out; -1 for commands without an address. */
    public long lba() {
        return lba;
    }

    /**
     * The paths the request was sent on, as {@code link->targetMac}, each followed by the
     * interface's last error if it refused sends.
     */
    public List<String> pathsTried() {
        return pathsTried;
    }

    /** How long the request waited for an answer. */
    public Duration waited() {
        return waited;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
