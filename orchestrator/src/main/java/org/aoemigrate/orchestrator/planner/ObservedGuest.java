package org.aoemigrate.orchestrator.planner;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A guest as the planner sees it: where it runs, what it uses, and what limits where it may go.
 *
 * @param name           the libvirt domain name
 * @param host           the host it runs on now (an {@link ObservedHost#name()})
 * @param memoryBytes    the memory it holds on its host (its current memory)
 * @param vcpus          its virtual CPUs
 * @param cpuCores       its recent CPU use in cores (1.5 = one and a half CPUs busy on average;
 *                       from libvirt's domain stats: CPU time over an interval divided by the interval)
 * @param aoeDisksOnly   every disk is an AoE device ({@code /dev/etherd/eS.L}); only such guests
 *                       move, since any other disk would have to be copied
 * @param pinned         the operator keeps it where it is; the planner never moves it
 * @param antiAffinity   groups it belongs to: no two guests of one group on one host
 * @param lastMoved      when it last moved, if known; a guest moved within the hold time stays put
 *                       ({@link PlannerSettings#holdTime()}), so successive runs do not ping-pong
 * @param cpuKey         an opaque name of the CPU it was started with (a hash of its {@code <cpu>}
 *                       element, or its host's CPU key for a host-model CPU); {@link CpuCompatibility}
 *                       decides which hosts can run it
 */
public record ObservedGuest(String name, String host, long memoryBytes, int vcpus, double cpuCores,
        boolean aoeDisksOnly, boolean pinned, Set<String> antiAffinity, Optional<Instant> lastMoved, String cpuKey) {

    public ObservedGuest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(lastMoved, "lastMoved");
        Objects.requireNonNull(cpuKey, "cpuKey");
        antiAffinity = Set.copyOf(antiAffinity);
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("guest " + name + ": memory is negative: " + memoryBytes);
        }
        if (vcpus <= 0) {
            throw new IllegalArgumentException("guest " + name + ": vCPU count must be positive, not " + vcpus);
        }
        if (!(cpuCores >= 0) || Double.isInfinite(cpuCores)) {
            throw new IllegalArgumentException("guest " + name + ": CPU use must be a finite number of cores >= 0, not " + cpuCores);
        }
    }

    /** Did it move after {@code since} (so it is still within its hold time)? */
    boolean movedAfter(Instant since) {
        return lastMoved.map(at -> at.isAfter(since)).orElse(false);
    }
}
