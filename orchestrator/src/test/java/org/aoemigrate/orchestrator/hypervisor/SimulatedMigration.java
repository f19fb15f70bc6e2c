package org.aoemigrate.orchestrator.hypervisor;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A pre-copy migration in simulated time. Each pass sends what the previous pass left dirty;
 * the guest dirties memory meanwhile. At the end of a pass, if what is dirty can be sent within
 * the allowed downtime, the guest stops and moves. With a dirty rate at or above the bandwidth
 * the passes never shrink: the copy stalls, as real ones do.
 */
final class SimulatedMigration {

    final String guest;
    final FakeHost source;
    final FakeHost destination;
    final MigrationCall call;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final long bandwidth;
    Duration maxDowntime = Duration.ofMillis(300);
    Duration elapsed = Duration.ZERO;
    long total;
    long processed;
    long passRemaining;
    long dirty;
    long iteration;
    double throttle = 1.0;
    boolean postCopy;

    SimulatedMigration(String guest, FakeHost source, FakeHost destination, MigrationCall call, long memory,
            long linkBandwidth) {
        this.guest = guest;
        this.source = source;
        this.destination = destination;
        this.call = call;
        this.bandwidth = call.bandwidthMiBps() > 0 ? Math.min(linkBandwidth, call.bandwidthMiBps() << 20) : linkBandwidth;
        this.total = memory;
        this.passRemaining = memory;
    }

    /** Advances by {@code dt}; true when the guest should switch over now. */
    boolean step(Duration dt, long dirtyRate, boolean guestRuns) {
        elapsed = elapsed.plus(dt);
        if (postCopy) {
            return true;
        }
        double seconds = dt.toNanos() / 1e9;
        long send = (long) (bandwidth * seconds);
        if (guestRuns) {
            dirty = Math.min(total, dirty + (long) (dirtyRate * throttle * seconds));
        }
        long sent = Math.min(send, passRemaining);
        passRemaining -= sent;
        processed += sent;
        if (passRemaining > 0) {
            return false;
        }
        iteration++;
        if (dirty * 1000 / bandwidth <= maxDowntime.toMillis()) {
            return true;
        }
        passRemaining = dirty;
        total += dirty;
        dirty = 0;
        if (call.has(MigrationFlag.AUTO_CONVERGE) && iteration >= 2) {
            // QEMU's auto-converge throttles the vCPUs harder after each pass that did not converge
            throttle = Math.max(0.05, throttle - 0.2);
        }
        return false;
    }

    long downtimeMs() {
        return postCopy ? 5 : dirty * 1000 / bandwidth;
    }

    JobStats stats(long dirtyRate, boolean completed) {
        return new JobStats(elapsed, total, processed, passRemaining + dirty, (long) (dirtyRate * throttle), iteration,
                completed ? OptionalLong.of(downtimeMs()) : OptionalLong.empty(), postCopy);
    }
}
