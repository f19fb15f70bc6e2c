package org.aoemigrate.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.aoemigrate.orchestrator.engine.ConvergenceWatch.Decision;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.inventory.CutoverMode;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;
import org.aoemigrate.orchestrator.inventory.TimeoutAction;
import org.junit.jupiter.api.Test;

class ConvergenceWatchTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static MigrationPolicy policy(TimeoutAction action, boolean postCopy) {
        return new MigrationPolicy(0, Duration.ofMillis(100), List.of(Duration.ofMillis(150), Duration.ofMillis(200)), true,
                postCopy, 0, Duration.ofSeconds(60), action, CutoverMode.FAST);
    }

    private static JobStats stats(long iteration, long remainingMiB) {
        return new JobStats(Duration.ZERO, 1L << 30, 0, remainingMiB << 20, 0, iteration, OptionalLong.empty(), false);
    }

    private static Decision at(ConvergenceWatch w, int second, long iteration, long remainingMiB) {
        return w.observe(stats(iteration, remainingMiB), T0.plusSeconds(second));
    }

    @Test
    void progressWithinAPassOrAShrinkingPassChangesNothing() {
        ConvergenceWatch w = new ConvergenceWatch(policy(TimeoutAction.ABORT, false), T0);
        assertThat(at(w, 1, 1, 900)).isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 2, 1, 500)).isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 3, 2, 300)).isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 4, 3, 100)).isInstanceOf(Decision.Continue.class);
        assertThat(w.downtime()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void eachStalledPassStepsTheDowntimeThenTheTimeoutActionRuns() {
        ConvergenceWatch w = new ConvergenceWatch(policy(TimeoutAction.ABORT, false), T0);
        at(w, 1, 1, 900);
        assertThat(at(w, 2, 2, 300)).isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 3, 3, 300)).isEqualTo(new Decision.RaiseDowntime(Duration.ofMillis(150), 1));
        assertThat(at(w, 3, 3, 300)).as("same pass, no second stall").isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 4, 4, 250)).as("lower than the best: progress").isInstanceOf(Decision.Continue.class);
        assertThat(at(w, 5, 5, 400)).isEqualTo(new Decision.RaiseDowntime(Duration.ofMillis(200), 2));
        assertThat(at(w, 6, 6, 400)).isEqualTo(new Decision.Abort(
                "the copy stalled 3 time(s) and the downtime steps are used up (last: 200 ms)"));
    }

    @Test
    void exhaustedStepsPauseOrSwitchToPostCopyWhenThePolicySaysSo() {
        ConvergenceWatch pause = new ConvergenceWatch(policy(TimeoutAction.PAUSE, false), T0);
        ConvergenceWatch post = new ConvergenceWatch(policy(TimeoutAction.ABORT, true), T0);
        for (ConvergenceWatch w : List.of(pause, post)) {
            at(w, 1, 1, 300);
            at(w, 2, 2, 300);
            at(w, 3, 3, 300);
        }
        assertThat(at(pause, 4, 4, 300)).isInstanceOf(Decision.PauseGuest.class);
        assertThat(at(post, 4, 4, 300)).isInstanceOf(Decision.StartPostCopy.class);
        assertThat(at(pause, 5, 5, 300)).as("once finishing, no more steps").isInstanceOf(Decision.Continue.class);
    }

    @Test
    void theBudgetEndsTheCopyAndAPausedCopyGetsOneMoreBudget() {
        ConvergenceWatch abort = new ConvergenceWatch(policy(TimeoutAction.ABORT, false), T0);
        assertThat(at(abort, 59, 1, 900)).isInstanceOf(Decision.Continue.class);
        assertThat(at(abort, 60, 1, 800)).isEqualTo(new Decision.Abort("the copy did not finish within its budget of 60 s"));

        ConvergenceWatch pause = new ConvergenceWatch(policy(TimeoutAction.PAUSE, false), T0);
        assertThat(at(pause, 60, 1, 800)).isInstanceOf(Decision.PauseGuest.class);
        assertThat(at(pause, 119, 1, 700)).isInstanceOf(Decision.Continue.class);
        assertThat(at(pause, 120, 1, 700)).isEqualTo(new Decision.Abort(
                "the copy did not finish within another 60 s with the guest paused"));
    }
}
