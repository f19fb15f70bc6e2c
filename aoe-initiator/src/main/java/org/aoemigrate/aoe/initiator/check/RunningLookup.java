package org.aoemigrate.aoe.initiator.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.aoemigrate.aoe.initiator.AoeAddress;
import org.aoemigrate.aoe.initiator.AoeInitiator;
import org.aoemigrate.aoe.initiator.DiscoveredTarget;
import org.aoemigrate.aoe.wire.MacAddress;

/**
 * The answer part's {@link DeviceLookup} of one device, running on a thread of its own over the
 * initiator it owns: discovery, then the {@link DeviceLookup#STRANGER_GRACE} after every expected
 * path has answered. It sends nothing but Query Config, which a reservation does not hold off
 * (r11 3.5: it refuses others' ATA reads, not Config), so it may start before the disks are
 * reserved to this host; the rest of the check (IDENTIFY, the reads) uses it once they are.
 * {@link DestinationCheck#startLookup} starts one.
 */
public final class RunningLookup implements AutoCloseable {

    private final AoeInitiator initiator;
    private final AoeAddress device;
    private final long startedNanos = System.nanoTime();
    /** The device as it was when every expected path had answered: the start of the stranger grace. */
    private final CompletableFuture<DiscoveredTarget> allIn = new CompletableFuture<>();
    private final CompletableFuture<Optional<DiscoveredTarget>> result;

    private RunningLookup(AoeInitiator initiator, AoeAddress device, Set<MacAddress> expected, Duration wait) {
        this.initiator = initiator;
        this.device = device;
        this.result = CompletableFuture.supplyAsync(() -> {
            try {
                return DeviceLookup.find(initiator, device, wait, expected, allIn::complete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "check-lookup-" + device);
            t.setDaemon(true); // it ends within the wait; it must not hold the process up if the check fails first
            t.start();
        });
    }

    static RunningLookup start(AoeInitiator initiator, AoeAddress device, Set<MacAddress> expected, Duration wait) {
        return new RunningLookup(initiator, device, expected, wait);
    }

    /** The initiator it discovers on; the check opens the device on it. */
    public AoeInitiator initiator() {
        return initiator;
    }

    public AoeAddress device() {
        return device;
    }

    /** How long ago it started. */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /**
     * The device as soon as every expected path has answered (the grace may still run), or, if the
     * lookup ended without that, what it found.
     */
    Optional<DiscoveredTarget> heardSoFar() throws IOException {
        // a failure is settled's to throw
        CompletableFuture.anyOf(allIn, result).handle((any, failure) -> null).join();
        return allIn.isDone() ? Optional.of(allIn.join()) : settled();
    }

    /** What it found once its discovery, and the stranger grace, have ended. */
    Optional<DiscoveredTarget> settled() throws IOException {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw e;
        }
    }

    /**
     * Closes its initiator (its sockets and threads). A discovery still running then hears nothing
     * more, and its thread ends at the end of its round.
     */
    @Override
    public void close() throws IOException {
        initiator.close();
    }
}
