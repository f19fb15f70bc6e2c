package org.aoemigrate.orchestrator.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.engine.check.CheckOutcome;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.hypervisor.FakeCluster;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;

/**
 * The destination check with verdicts set by the test, and an optional gate that holds the first
 * check of a guest's disk (so a test can keep one migration in preflight while another arrives).
 * A prepare is noted on the cluster's timeline ("prepare e1.0,e1.1 on hostB"), and may be made to throw.
 */
final class ScriptedDestinationCheck implements DestinationCheck {

    private final FakeCluster cluster;
    private final Map<String, CheckOutcome> verdicts = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private CountDownLatch holding = new CountDownLatch(0);
    private CountDownLatch gate = new CountDownLatch(0);
    private final List<CountDownLatch> gates = new ArrayList<>();
    private CheckOutcome later;
    private int passing = Integer.MAX_VALUE;
    private Runnable onCheck = () -> { };
    private RuntimeException prepareFailure;

    ScriptedDestinationCheck(FakeCluster cluster) {
        this.cluster = cluster;
    }

    synchronized void fail(String host, String export, String reason) {
        verdicts.put(host + "/" + export, CheckOutcome.failed(reason));
    }

    /** The first {@code count} checks pass, every later one fails (the disk changed while the guest moved). */
    synchronized void failAfter(int count, String reason) {
        passing = count;
        later = CheckOutcome.failed(reason);
    }

    /** Runs {@code action} during every check (to change the world while the engine waits on one). */
    synchronized void onCheck(Runnable action) {
        onCheck = action;
    }

    /** The next check waits until {@link #release}; {@link #awaitHeld} returns once it is waiting. */
    synchronized void holdNext() {
        holding = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        gates.add(gate);
    }

    void awaitHeld() throws InterruptedException {
        CountDownLatch h;
        synchronized (this) {
            h = holding;
        }
        h.await();
    }

    /** Lets every held check go on. */
    synchronized void release() {
        gates.forEach(CountDownLatch::countDown);
        gate = new CountDownLatch(0);
    }

    /** Every later prepare throws {@code failure} (after noting itself). */
    synchronized void failPrepare(RuntimeException failure) {
        prepareFailure = failure;
    }

    @Override
    public synchronized void prepare(Host destination, List<ExportDisk> exports) {
        cluster.note("prepare " + exports.stream().map(e -> e.address().toString()).collect(Collectors.joining(","))
                + " on " + destination.name());
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public CheckOutcome check(Host destination, ExportDisk export) throws InterruptedException {
        CountDownLatch wait;
        CheckOutcome verdict;
        synchronized (this) {
            calls.add(destination.name() + "/" + export.name());
            cluster.note("check " + export.address() + " on " + destination.name());
            wait = gate;
            // only the next check is held; later ones pass straight through
            gate = new CountDownLatch(0);
            holding.countDown();
            verdict = calls.size() > passing ? later
                    : verdicts.getOrDefault(destination.name() + "/" + export.name(), CheckOutcome.PASSED);
            onCheck.run();
        }
        wait.await();
        return verdict;
    }
}
