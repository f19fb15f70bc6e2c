package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.ConvergenceWatch.Decision;
import org.aoemigrate.orchestrator.engine.MigrationEvent.Kind;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.aoemigrate.orchestrator.inventory.CutoverMode;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.journal.JournalStep;

/**
 * Steps 3 to 6 of one migration that passed preflight: reserve, check the destination's
 * initiator (which can read the disks only now), migrate under the convergence policy, cut over
 * and fence, verify. Whatever fails, the guest ends up running exactly once and
 * the reservation names the host it runs on; the result says which.
 */
final class MigrationRun {

    /** How soon the running copy is looked at until the policy's allowed downtime is set. */
    private static final Duration FIRST_LOOKS = Duration.ofMillis(50);

    private final MigrationPlan plan;
    private final MigrationEngine.Context ctx;
    private final Instant started;
    private final Progress progress;

    private final Set<MacAddress> sourceMacs;
    private final Set<MacAddress> destinationMacs;
    private final Set<MacAddress> bothMacs;

    /** The migration's running figures, for the result. */
    private static final class Progress {
        long bytes;
        long iterations;
        long downtimeMs;
        long maxDowntimeMs;
        /** Set when the engine paused the source to force completion: undo it if the move fails. */
        boolean pausedByUs;
        boolean postCopy;
        /** The thread was interrupted while polling; the interrupt is restored once the run has settled. */
        boolean interrupted;
        Optional<String> abortReason = Optional.empty();
    }

    MigrationRun(MigrationPlan plan, MigrationEngine.Context ctx, Instant started) {
        this.plan = plan;
        this.ctx = ctx;
        this.started = started;
        this.progress = new Progress();
        this.sourceMacs = plan.source().macs();
        this.destinationMacs = plan.destination().macs();
        Set<MacAddress> both = new HashSet<>(sourceMacs);
        both.addAll(destinationMacs);
        this.bothMacs = Set.copyOf(both);
        this.progress.maxDowntimeMs = plan.policy().maxDowntime().toMillis();
    }

    MigrationResult run() throws InterruptedException {
        try {
            return reserveMoveAndCutOver();
        } finally {
            if (progress.interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private MigrationResult reserveMoveAndCutOver() throws InterruptedException {
        Optional<String> early = plan.slot().abortRequested();
        if (early.isPresent()) {
            return finish(MigrationOutcome.ABORTED, early.get() + " before the copy started; nothing changed",
                    JournalStep.ABORTED);
        }
        try {
            setReservation(bothMacs);
        } catch (IOException e) {
            String why = "could not reserve the disks to both hosts: " + e.getMessage();
            return failAndSettle(MigrationOutcome.FAILED, why);
        }
        ctx.record(plan, JournalStep.RESERVED, Kind.RESERVED, reservationText(bothMacs));
        Optional<Refusal> refusal;
        try {
            refusal = Preflight.initiatorRefusal(ctx.destinationCheck(), plan.destination(), plan.exports());
        } catch (InterruptedException e) {
            progress.interrupted = true;
            return failAndSettle(MigrationOutcome.ABORTED, "the daemon is stopping; interrupted during the destination's"
                    + " initiator check, before the copy started");
        }
        if (refusal.isPresent()) {
            return refuseAndPutBackTheReservation(refusal.get());
        }
        Optional<String> late = plan.slot().abortRequested();
        if (late.isPresent()) {
            return failAndSettle(MigrationOutcome.ABORTED, late.get() + " before the copy started");
        }
        Optional<String> failure = migrate();
        if (failure.isPresent()) {
            return settleAfterFailedCopy(failure.get());
        }
        return cutover(Optional.empty());
    }

    /**
     * The destination's initiator check failed: the move is refused as if preflight had, once the
     * reservations are back as preflight found them (so nothing is left changed).
     */
    private MigrationResult refuseAndPutBackTheReservation(Refusal refusal) {
        StringBuilder restored = new StringBuilder();
        for (ExportDisk e : plan.exports()) {
            Set<MacAddress> before = plan.reservations().getOrDefault(e.address(), Set.of());
            try {
                ctx.fence().reserve(e.address(), before);
            } catch (IOException x) {
                return finish(MigrationOutcome.FAILED, refusal.reason() + "; the reservation of " + e.address()
                        + " could not be set back to " + macsText(before) + " (" + x.getMessage() + "): run aoemigrate"
                        + " recover", JournalStep.FAILED);
            }
            restored.append(restored.length() == 0 ? "" : " ").append(e.address()).append('=').append(macsText(before));
        }
        ctx.record(plan, JournalStep.REFUSED, Kind.REFUSED, refusal.check() + ": " + refusal.reason()
                + "; reservation put back: " + restored);
        return result(MigrationOutcome.REFUSED, refusal.reason(), Optional.of(refusal.check()));
    }

    /** Runs the libvirt migration and watches it; empty if libvirt reports success, else why not. */
    private Optional<String> migrate() {
        Hypervisor source = plan.sourceHv();
        MigrationCall call = call();
        CompletableFuture<Void> job;
        try {
            job = source.migrate(plan.guest(), call);
        } catch (HypervisorException e) {
            return Optional.of("libvirt did not start the migration: " + e.getMessage());
        }
        ctx.record(plan, JournalStep.MIGRATING, Kind.MIGRATING, "to " + plan.destination().migrationUri() + " with "
                + call.flags().stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        ConvergenceWatch watch = new ConvergenceWatch(plan.policy(), ctx.ticker().now());
        boolean downtimeSet = false;
        Optional<String> downtimeRefused = Optional.empty();
        boolean aborting = false;
        while (!job.isDone()) {
            // libvirt takes an allowed downtime only while the job runs, and a small guest's copy can
            // end within one poll interval (about 1 s in the lab): until the policy's is set, look soon
            Duration look = downtimeSet || FIRST_LOOKS.compareTo(ctx.pollInterval()) > 0 ? ctx.pollInterval() : FIRST_LOOKS;
            try {
                ctx.ticker().sleep(look, job);   // back at once when libvirt returns
            } catch (InterruptedException e) {
                // the daemon is stopping: abort the copy so the guest is left settled on the source
                progress.interrupted = true;
                plan.slot().requestAbort("the daemon is stopping");
            }
            if (job.isDone()) {
                break;
            }
            if (!aborting && plan.slot().abortRequested().isPresent()) {
                aborting = abort(plan.slot().abortRequested().get());
            }
            Optional<JobStats> stats = jobStats(source);
            if (stats.isEmpty() || aborting) {
                continue;
            }
            if (!downtimeSet) {
                Optional<String> refused = allowDowntime(plan.policy().maxDowntime());
                if (refused.isPresent() && downtimeRefused.isEmpty()) {
                    downtimeRefused = refused;   // the copy may have just ended ("domain is not running"): look again
                } else {
                    refused.ifPresent(this::warnDowntimeNotSet);   // refused twice while the copy runs
                    downtimeSet = true;
                }
            }
            observe(stats.get());
            Decision d = watch.observe(stats.get(), ctx.ticker().now());
            aborting = act(d);
        }
        try {
            job.join();
            return Optional.empty();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Optional.of(progress.abortReason.orElse("the migration failed: " + cause.getMessage()));
        }
    }

    private MigrationCall call() {
        EnumSet<MigrationFlag> flags = EnumSet.of(MigrationFlag.LIVE, MigrationFlag.PEER2PEER, MigrationFlag.PERSIST_DEST,
                MigrationFlag.UNDEFINE_SOURCE);
        if (plan.policy().cutover() == CutoverMode.FENCED) {
            flags.add(MigrationFlag.PAUSED);
        }
        if (plan.policy().autoConverge()) {
            flags.add(MigrationFlag.AUTO_CONVERGE);
        }
        if (plan.policy().postCopy()) {
            flags.add(MigrationFlag.POSTCOPY);
        }
        return new MigrationCall(plan.destination().migrationUri(), flags, plan.policy().bandwidthMiBps(),
                plan.policy().postCopyBandwidthMiBps());
    }

    private Optional<JobStats> jobStats(Hypervisor source) {
        try {
            return source.jobStats(plan.guest());
        } catch (HypervisorException e) {
            // the job may just have ended (the source domain vanishes with it): the future will tell
            return Optional.empty();
        }
    }

    private void observe(JobStats s) {
        progress.bytes = Math.max(progress.bytes, s.dataProcessed());
        progress.iterations = Math.max(progress.iterations, s.iteration());
        long percent = s.dataTotal() <= 0 ? 0 : Math.min(100, 100 * s.dataProcessed() / s.dataTotal());
        ctx.emit(plan, Kind.PROGRESS, String.format("%d%% of %d MiB sent, %d MiB remaining, pass %d, dirtying %d MiB/s",
                percent, s.dataTotal() >> 20, s.dataRemaining() >> 20, s.iteration(), s.dirtyRateBytesPerSec() >> 20),
                Optional.of(s));
    }

    /** Carries out a convergence decision; true if the migration is now being aborted. */
    private boolean act(Decision d) {
        Hypervisor source = plan.sourceHv();
        if (d instanceof Decision.RaiseDowntime r) {
            if (setDowntime(r.downtime())) {
                ctx.emit(plan, Kind.DOWNTIME_RAISED, "stall " + r.stall() + ": allowed downtime raised to "
                        + r.downtime().toMillis() + " ms", Optional.empty());
            }
        } else if (d instanceof Decision.StartPostCopy p) {
            try {
                source.startPostCopy(plan.guest());
                progress.postCopy = true;
                ctx.emit(plan, Kind.POST_COPY, p.why() + ": switching to post-copy", Optional.empty());
            } catch (HypervisorException e) {
                return abort(p.why() + ", and post-copy could not start (" + e.getMessage() + ")");
            }
        } else if (d instanceof Decision.PauseGuest p) {
            try {
                source.suspend(plan.guest());
                progress.pausedByUs = true;
                ctx.emit(plan, Kind.PAUSED_TO_FINISH, p.why() + ": pausing " + plan.guest() + " so the copy can finish",
                        Optional.empty());
            } catch (HypervisorException e) {
                return abort(p.why() + ", and the guest could not be paused (" + e.getMessage() + ")");
            }
        } else if (d instanceof Decision.Abort a) {
            return abort(a.why());
        }
        return false;
    }

    private boolean abort(String why) {
        progress.abortReason = Optional.of(why);
        ctx.emit(plan, Kind.ABORTING, why + ": aborting", Optional.empty());
        try {
            plan.sourceHv().abortJob(plan.guest());
        } catch (HypervisorException e) {
            ctx.emit(plan, Kind.WARNING, "abortJob failed (" + e.getMessage() + "); waiting for the job to end",
                    Optional.empty());
        }
        return true;
    }

    private boolean setDowntime(Duration d) {
        Optional<String> refused = allowDowntime(d);
        refused.ifPresent(this::warnDowntimeNotSet);
        return refused.isEmpty();
    }

    /** Sets the allowed downtime of the running copy; empty if libvirt took it, else what it said. */
    private Optional<String> allowDowntime(Duration d) {
        try {
            plan.sourceHv().setMaxDowntime(plan.guest(), d);
            progress.maxDowntimeMs = d.toMillis();
            return Optional.empty();
        } catch (HypervisorException e) {
            return Optional.of("could not set the allowed downtime to " + d.toMillis() + " ms: " + e.getMessage());
        }
    }

    private void warnDowntimeNotSet(String why) {
        ctx.emit(plan, Kind.WARNING, why, Optional.empty());
    }

    /**
     * libvirt said the copy failed. Look where the guest really is before deciding: a migration
     * reported as failed may have completed (ganeti#382), and a guest the engine paused must run again.
     */
    private MigrationResult settleAfterFailedCopy(String why) throws InterruptedException {
        Optional<DomainState> atSource = state(plan.sourceHv());
        Optional<DomainState> atDestination;
        String unseen = "";
        try {
            atDestination = plan.destinationHv().domainState(plan.guest());
        } catch (HypervisorException e) {
            // say which side went: libvirt's words for a peer that died mid-copy are "client socket is closed"
            atDestination = Optional.empty();
            unseen = "; " + plan.destination().name() + "'s libvirt does not answer now (" + e.getMessage() + "): a copy of "
                    + plan.guest() + " left there could not be looked for, and could not write (the disks go to "
                    + plan.source().name() + " alone); look for it once " + plan.destination().name() + " answers";
        }
        boolean onSource = atSource.map(DomainState::isActive).orElse(false);
        boolean onDestination = atDestination.map(DomainState::isActive).orElse(false);
        if (onDestination && !onSource) {
            ctx.emit(plan, Kind.WARNING, why + "; but " + plan.guest() + " runs on " + plan.destination().name()
                    + " and not on " + plan.source().name() + ", so the move happened: cutting over", Optional.empty());
            return cutover(Optional.of(why));
        }
        if (onDestination) {
            String alarm = plan.guest() + " is active on both " + plan.source().name() + " and "
                    + plan.destination().name() + " after a failed migration (" + why + "); the reservation stays"
                    + " {both}; stop the wrong copy by hand, then run aoemigrate recover";
            ctx.emit(plan, Kind.SPLIT_BRAIN, alarm, Optional.empty());
            return finish(MigrationOutcome.FAILED, alarm, JournalStep.FAILED);
        }
        MigrationOutcome outcome = progress.abortReason.isPresent() ? MigrationOutcome.ABORTED : MigrationOutcome.FAILED;
        return failAndSettle(outcome, why + unseen);
    }

    /**
     * The guest stayed on the source: give the disks back to the source alone, then make sure it
     * runs (the reservation first, so that the guard's answer cannot be overtaken by a copy it missed).
     */
    private MigrationResult failAndSettle(MigrationOutcome outcome, String why) {
        Optional<DomainState> atSource = state(plan.sourceHv());
        StringBuilder reason = new StringBuilder(why);
        String fenced;
        try {
            setReservation(sourceMacs);
            fenced = "; " + plan.guest() + " stays on " + plan.source().name() + ", which alone may write its disks";
        } catch (IOException e) {
            fenced = "; the reservation could not be set back to " + plan.source().name() + " (" + e.getMessage()
                    + "): run aoemigrate recover";
        }
        if (atSource.isEmpty() || !atSource.get().isActive()) {
            reason.append("; ").append(plan.guest()).append(" runs on neither host as far as they answer: run aoemigrate recover");
        } else if (atSource.get() == DomainState.PAUSED && progress.pausedByUs && !progress.postCopy) {
            // the engine paused it to force completion; a guest paused before the move stays paused
            reason.append(resume(plan.sourceHv(), plan.source().name()));
        } else if (atSource.get() == DomainState.PAUSED) {
            reason.append("; post-copy had started, so the source copy is stale and stays paused: run aoemigrate recover");
        }
        reason.append(fenced);
        return finish(outcome, reason.toString(), outcome == MigrationOutcome.ABORTED ? JournalStep.ABORTED : JournalStep.FAILED);
    }

    /** Resumes the guest on the source after a failed move, if the guard finds it active nowhere else. */
    private String resume(Hypervisor hv, String host) {
        Optional<String> refusal = ctx.guard().refusal(plan.guest(), host);
        if (refusal.isPresent()) {
            ctx.emit(plan, Kind.SPLIT_BRAIN, refusal.get(), Optional.empty());
            return "; " + refusal.get();
        }
        try {
            hv.resume(plan.guest());
            return "; resumed on " + host;
        } catch (HypervisorException e) {
            return "; it is paused on " + host + " and could not be resumed (" + e.getMessage() + ")";
        }
    }

    /**
     * Step 5. FAST: libvirt has resumed the guest on the destination; fence the source now.
     * FENCED: the guest waits paused on the destination; check the disks there again, fence the
     * source, then resume.
     */
    private MigrationResult cutover(Optional<String> note) throws InterruptedException {
        Hypervisor destination = plan.destinationHv();
        Host dst = plan.destination();
        Instant switched = ctx.ticker().now();
        completedStats(destination);
        boolean fenced = plan.policy().cutover() == CutoverMode.FENCED;
        if (fenced) {
            Optional<Refusal> again = Preflight.initiatorRefusal(ctx.destinationCheck(), dst, plan.exports());
            if (again.isPresent()) {
                String why = "after the copy, " + again.get().reason() + "; " + plan.guest() + " stays paused on " + dst.name()
                        + " (gone from " + plan.source().name() + "), the reservation stays {both}: fix the disk,"
                        + " then run aoemigrate recover";
                return finish(MigrationOutcome.FAILED, why, JournalStep.FAILED);
            }
        }
        try {
            setReservation(destinationMacs);
        } catch (IOException e) {
            String why = "the reservation could not be set to " + dst.name() + " alone (" + e.getMessage() + "); "
                    + plan.guest() + " runs on " + dst.name() + " and both hosts may still write: run aoemigrate recover";
            return finish(MigrationOutcome.FAILED, why, JournalStep.FAILED);
        }
        Optional<String> resumeProblem = resumeIfPaused(destination);
        if (fenced) {
            progress.downtimeMs += Duration.between(switched, ctx.ticker().now()).toMillis();
        }
        ctx.record(plan, JournalStep.CUTOVER, Kind.CUTOVER, plan.policy().cutover().name().toLowerCase(Locale.ROOT) + ": "
                + reservationText(destinationMacs) + note.map(n -> " (libvirt had reported: " + n + ")").orElse(""));
        if (resumeProblem.isPresent()) {
            return finish(MigrationOutcome.FAILED, resumeProblem.get(), JournalStep.FAILED);
        }
        return verify();
    }

    /** Resumes the guest on the destination, unless it was paused before the move (then it stays as it was). */
    private Optional<String> resumeIfPaused(Hypervisor destination) {
        Optional<DomainState> s = state(destination);
        if (s.isPresent() && s.get() == DomainState.PAUSED && !plan.startedPaused()) {
            Optional<String> refusal = ctx.guard().refusal(plan.guest(), plan.destination().name());
            if (refusal.isPresent()) {
                ctx.emit(plan, Kind.SPLIT_BRAIN, refusal.get(), Optional.empty());
                return Optional.of(refusal.get() + "; only " + plan.destination().name() + " may write its disks");
            }
            try {
                destination.resume(plan.guest());
            } catch (HypervisorException e) {
                return Optional.of(plan.guest() + " is paused on " + plan.destination().name() + " and could not be resumed ("
                        + e.getMessage() + "); only " + plan.destination().name() + " may write its disks");
            }
        }
        return Optional.empty();
    }

    private void completedStats(Hypervisor destination) {
        try {
            destination.completedJobStats(plan.guest()).ifPresent(s -> {
                progress.bytes = Math.max(progress.bytes, s.dataProcessed());
                progress.iterations = Math.max(progress.iterations, s.iteration());
                progress.downtimeMs = s.downtimeMs().orElse(0);
            });
        } catch (HypervisorException e) {
            ctx.emit(plan, Kind.WARNING, "no completed job statistics on " + plan.destination().name() + ": "
                    + e.getMessage(), Optional.empty());
        }
    }

    /** Step 6: it runs on the destination and is gone from the source. */
    private MigrationResult verify() {
        Optional<DomainState> there = state(plan.destinationHv());
        Optional<DomainState> here = state(plan.sourceHv());
        DomainState expected = plan.startedPaused() ? DomainState.PAUSED : DomainState.RUNNING;
        if (there.isEmpty() || there.get() != expected) {
            return finish(MigrationOutcome.FAILED, "verify: " + plan.guest() + " is " + there.map(Enum::name).orElse("unknown")
                    + " on " + plan.destination().name() + ", not " + expected + "; only " + plan.destination().name()
                    + " may write its disks: run aoemigrate recover", JournalStep.FAILED);
        }
        if (here.isPresent() && here.get().isActive()) {
            String alarm = "verify: " + plan.guest() + " is still " + here.get() + " on " + plan.source().name()
                    + " (fenced off its disks); stop that copy by hand";
            ctx.emit(plan, Kind.SPLIT_BRAIN, alarm, Optional.empty());
            return finish(MigrationOutcome.FAILED, alarm, JournalStep.FAILED);
        }
        ctx.record(plan, JournalStep.VERIFIED, Kind.VERIFIED, plan.guest() + " runs on " + plan.destination().name()
                + ", " + (here.isEmpty() ? "undefined on " : "shut off on ") + plan.source().name());
        return finish(MigrationOutcome.SUCCEEDED, "", JournalStep.FINISHED);
    }

    private Optional<DomainState> state(Hypervisor hv) {
        try {
            return hv.domainState(plan.guest());
        } catch (HypervisorException e) {
            return Optional.empty();
        }
    }

    private void setReservation(Set<MacAddress> macs) throws IOException {
        for (ExportDisk e : plan.exports()) {
            ctx.fence().reserve(e.address(), macs);
        }
    }

    private String reservationText(Set<MacAddress> macs) {
        String list = macsText(macs);
        return plan.exports().stream().map(e -> e.address() + "=" + list).collect(Collectors.joining(" "));
    }

    /** "02:00:00:00:00:0a,02:00:00:00:00:0b", or "none" for an unreserved export. */
    private static String macsText(Set<MacAddress> macs) {
        return macs.isEmpty() ? "none" : macs.stream().sorted().map(MacAddress::toString).collect(Collectors.joining(","));
    }

    private MigrationResult result(MigrationOutcome outcome, String reason, Optional<PreflightCheck> failedCheck) {
        long totalMs = Duration.between(started, ctx.ticker().now()).toMillis();
        return new MigrationResult(plan.id(), plan.guest(), Optional.of(plan.source().name()), plan.destination().name(),
                outcome, reason, failedCheck, plan.policy().cutover(), totalMs, progress.downtimeMs, progress.bytes,
                progress.iterations, progress.maxDowntimeMs);
    }

    private MigrationResult finish(MigrationOutcome outcome, String reason, JournalStep step) {
        MigrationResult r = result(outcome, reason, Optional.empty());
        String detail = outcome == MigrationOutcome.SUCCEEDED
                ? "total_ms=" + r.totalMs() + " downtime_ms=" + progress.downtimeMs + " bytes=" + progress.bytes
                : reason;
        Kind kind = switch (outcome) {
            case SUCCEEDED -> Kind.FINISHED;
            case ABORTED -> Kind.ABORTED;
            default -> Kind.FAILED;
        };
        ctx.record(plan, step, kind, detail);
        return r;
    }
}
