package org.aoemigrate.orchestrator.engine;

import java.time.Duration;
import java.time.Instant;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;
import org.aoemigrate.orchestrator.inventory.TimeoutAction;

/**
 * Decides, from each job-statistics sample, what the running migration needs next; it acts on
 * nothing itself. oVirt's convergence schedule: at the end of each pre-copy pass, if the data
 * remaining is not below the best seen at an earlier pass end, the copy stalled, and the allowed
 * downtime goes one step up. When the steps are used up (or the time budget is), post-copy if the
 * policy allows it, else the timeout action: abort, or pause the guest so the copy must finish.
 */
final class ConvergenceWatch {

    /** What to do now. */
    sealed interface Decision {
        record Continue() implements Decision {
        }

        record RaiseDowntime(Duration downtime, int stall) implements Decision {
        }

        record StartPostCopy(String why) implements Decision {
        }

        record PauseGuest(String why) implements Decision {
        }

        record Abort(String why) implements Decision {
        }
    }

    private static final Decision CONTINUE = new Decision.Continue();

    private final MigrationPolicy policy;
    private final Instant start;
    private long lastIteration;
    private long bestRemaining = Long.MAX_VALUE;
    private int stalls;
    private int step;
    private Duration downtime;
    /** Set once post-copy or a pause forces the end: no more steps, only the last-resort deadline. */
    private boolean finishing;
    private Instant finishingSince;

    ConvergenceWatch(MigrationPolicy policy, Instant start) {
        this.policy = policy;
        this.start = start;
        this.downtime = policy.maxDowntime();
    }

    /** The downtime currently allowed. */
    Duration downtime() {
        return downtime;
    }

    Decision observe(JobStats stats, Instant now) {
        Duration elapsed = Duration.between(start, now);
        if (finishing) {
            // paused and still not done after another whole budget: the link is gone. Post-copy
            // cannot be aborted without losing the guest, so it is left to finish.
            return !stats.postCopy() && Duration.between(finishingSince, now).compareTo(policy.timeout()) >= 0
                    ? new Decision.Abort("the copy did not finish within another " + policy.timeout().toSeconds()
                            + " s with the guest paused")
                    : CONTINUE;
        }
        if (elapsed.compareTo(policy.timeout()) >= 0) {
            return lastResort("the copy did not finish within its budget of " + policy.timeout().toSeconds() + " s", now);
        }
        if (stats.iteration() <= lastIteration) {
            return CONTINUE;
        }
        lastIteration = stats.iteration();
        if (stats.dataRemaining() < bestRemaining) {
            bestRemaining = stats.dataRemaining();
            return CONTINUE;
        }
        stalls++;
        if (step < policy.downtimeSteps().size()) {
            downtime = policy.downtimeSteps().get(step++);
            return new Decision.RaiseDowntime(downtime, stalls);
        }
        return lastResort("the copy stalled " + stalls + " time(s) and the downtime steps are used up (last: "
                + downtime.toMillis() + " ms)", now);
    }

    private Decision lastResort(String why, Instant now) {
        if (policy.postCopy()) {
            finishing = true;
            finishingSince = now;
            return new Decision.StartPostCopy(why);
        }
        if (policy.onTimeout() == TimeoutAction.PAUSE) {
            finishing = true;
            finishingSince = now;
            return new Decision.PauseGuest(why);
        }
        return new Decision.Abort(why);
    }
}
