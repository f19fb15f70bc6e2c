package org.aoemigrate.orchestrator.planner;

import java.util.Objects;

/**
 * A hypervisor as the planner sees it: what it can give guests, whether it takes any, and its CPU.
 *
 * @param name         the inventory name
 * @param memoryBytes  the memory the guests on this host may use in all (the host's total less
 *                     what the host itself keeps; the inventory's {@code guestMemoryMiB} when given)
 * @param cpus         logical CPUs ({@code nodeInfo}); a guest's CPU use is counted against them
 * @param maintenance  a host in maintenance takes no guest, and the score leaves it out
 * @param cpuKey       an opaque name of this host's CPU (a model name, a hash of its capabilities,
 *                     or the host's name itself); {@link CpuCompatibility} decides which guests run on it
 */
public record ObservedHost(String name, long memoryBytes, int cpus, boolean maintenance, String cpuKey) {

    public ObservedHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cpuKey, "cpuKey");
        if (memoryBytes <= 0) {
            throw new IllegalArgumentException("host " + name + ": memory for guests must be positive, not " + memoryBytes);
        }
        if (cpus <= 0) {
            throw new IllegalArgumentException("host " + name + ": CPU count must be positive, not " + cpus);
        }
    }
}
