package org.aoemigrate.orchestrator.hypervisor;

/**
 * What one active guest takes from its host, as {@code virDomainGetInfo} tells it.
 *
 * @param vcpus        virtual CPUs
 * @param memoryBytes  the memory it has now (the balloon's current size)
 * @param cpuTimeNanos CPU time used since it started, all vCPUs together; two readings some time
 *                     apart give its recent CPU use
 */
public record GuestUsage(int vcpus, long memoryBytes, long cpuTimeNanos) {
}
