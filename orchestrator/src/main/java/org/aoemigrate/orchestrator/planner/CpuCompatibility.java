package org.aoemigrate.orchestrator.planner;

/**
 * Can a host with this CPU run a guest started with that CPU? Supplied by the caller: the daemon
 * answers it from libvirt ({@code virConnectCompareHypervisorCPU} of the guest's {@code <cpu>}
 * on the host), a test from a table.
 *
 * <p>The planner asks once per distinct pair of keys and remembers the answer, so a cluster of
 * a few CPU kinds costs a few questions however many guests and hosts it has. The answer must
 * not change during one plan.
 */
@FunctionalInterface
public interface CpuCompatibility {

    /** Can a host whose CPU key is {@code hostCpuKey} run a guest whose CPU key is {@code guestCpuKey}? */
    boolean canRun(String guestCpuKey, String hostCpuKey);

    /** A guest runs only on hosts with its own key: right for host-model or host-passthrough CPUs. */
    static CpuCompatibility sameKey() {
        return String::equals;
    }
}
