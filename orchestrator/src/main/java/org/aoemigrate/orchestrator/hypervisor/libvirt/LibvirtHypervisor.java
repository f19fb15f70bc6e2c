package org.aoemigrate.orchestrator.hypervisor.libvirt;

import com.sun.jna.ptr.IntByReference;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import org.aoemigrate.orchestrator.hypervisor.CpuVerdict;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.GuestUsage;
import org.aoemigrate.orchestrator.hypervisor.HostNetworks;
import org.aoemigrate.orchestrator.hypervisor.HostResources;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.hypervisor.LifecycleListener;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.Subscription;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.DomainJobStats;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.TypedParameter;
import org.libvirt.jna.DomainPointer;

/**
 * {@link Hypervisor} over libvirt-java 0.5.4, plus {@link NativeLibvirt} for what it lacks.
 *
 * <p>Each call looks the domain up by name and frees the handle before returning, so no handle
 * outlives a call (libvirt-java would leave them to finalizers) and a guest that moved away is
 * simply not found.
 */
final class LibvirtHypervisor implements Hypervisor {

    private static final System.Logger LOG = System.getLogger(LibvirtHypervisor.class.getName());

    /** virConnectListAllDomains flag: only the active domains. */
    private static final int LIST_DOMAINS_ACTIVE = 1;

    /** virDomainGetJobStats flags: the last completed job, and keep it for the next reader (libvirt deletes it on read otherwise). */
    private static final int JOB_STATS_COMPLETED = 1;
    private static final int JOB_STATS_KEEP_COMPLETED = 1 << 1;

    /** virDomainGetXMLDesc flags: with secrets, and without what only this host's QEMU process needs (to define it). */
    private static final int XML_SECURE = 1;
    private static final int XML_MIGRATABLE = 1 << 3;

    private final String host;
    private final HostConnection connection;

    LibvirtHypervisor(String host, HostConnection connection) {
        this.host = host;
        this.connection = connection;
    }

    HostConnection connection() {
        return connection;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, DomainState> domains() throws HypervisorException {
        LibvirtConnection c = connection.get();
        Domain[] all;
        try {
            all = c.listAllDomains(0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "list the domains", c);
        }
        Map<String, DomainState> states = new LinkedHashMap<>();
        try {
            for (Domain d : all) {
                Optional<DomainState> state = readState(d);
                if (state.isPresent()) {
                    states.put(d.getName(), state.get());
                }
            }
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "read the state of the domains", c);
        } finally {
            for (Domain d : all) {
                free(d);
            }
        }
        return states;
    }

    @Override
    public Map<String, GuestUsage> guestUsage() throws HypervisorException {
        LibvirtConnection c = connection.get();
        Domain[] active;
        try {
            active = c.listAllDomains(LIST_DOMAINS_ACTIVE);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "list the active domains", c);
        }
        Map<String, GuestUsage> usage = new LinkedHashMap<>();
        try {
            for (Domain d : active) {
                try {
                    DomainInfo info = d.getInfo();
                    // getInfo counts memory in KiB and CPU time in nanoseconds
                    usage.put(d.getName(), new GuestUsage(info.nrVirtCpu, info.memory * 1024, info.cpuTime));
                } catch (LibvirtException e) {
                    if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                        throw e;
                    }
                }
            }
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "read the CPU time and memory of the active domains", c);
        } finally {
            for (Domain d : active) {
                free(d);
            }
        }
        return usage;
    }

    @Override
    public Optional<DomainState> domainState(String guest) throws HypervisorException {
        LibvirtConnection c = connection.get();
        Domain d;
        try {
            d = c.domainLookupByName(guest);
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw LibvirtErrors.of(e, host, "look up " + guest, c);
        }
        try {
            return readState(d);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "read the state of " + guest, c);
        } finally {
            free(d);
        }
    }

    @Override
    public String domainXml(String guest) throws HypervisorException {
        return onDomain(guest, "read the XML of " + guest, d -> d.getXMLDesc(0));
    }

    @Override
    public HostResources resources() throws HypervisorException {
        LibvirtConnection c = connection.get();
        try {
            NodeInfo node = c.nodeInfo();
            // nodeInfo counts memory in KiB, virNodeGetFreeMemory in bytes
            return new HostResources(node.cpus, node.memory * 1024, c.getFreeMemory());
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "read the node's CPUs and memory", c);
        }
    }

    /**
     * Bound natively: libvirt-java passes no flags, and only with FAIL_INCOMPATIBLE does libvirt
     * say why a CPU does not fit (VIR_ERR_CPU_INCOMPATIBLE, "... missing features: avx2").
     */
    @Override
    public CpuVerdict compareCpu(String guestCpuXml) throws HypervisorException {
        return compare("compare a guest CPU with the host's", c -> NativeLibvirt.INSTANCE.virConnectCompareCPU(
                c.pointer(), guestCpuXml, NativeLibvirt.COMPARE_CPU_FAIL_INCOMPATIBLE));
    }

    /** Not in libvirt-java at all; bound natively like {@link #compareCpu}. */
    @Override
    public CpuVerdict compareHypervisorCpu(String domainType, String guestCpuXml) throws HypervisorException {
        return compare("compare a guest CPU with what " + domainType + " offers",
                c -> NativeLibvirt.INSTANCE.virConnectCompareHypervisorCPU(c.pointer(), null, null, null, domainType,
                        guestCpuXml, NativeLibvirt.COMPARE_CPU_FAIL_INCOMPATIBLE));
    }

    /** Runs a virCPUCompareResult call made with FAIL_INCOMPATIBLE, which reports incompatibility as an error. */
    private CpuVerdict compare(String action, ToIntFunction<LibvirtConnection> call)
            throws HypervisorException {
        LibvirtConnection c = connection.get();
        int result = call.applyAsInt(c);
        if (result < 0) {
            int code = NativeLibvirt.INSTANCE.virGetLastErrorCode();
            String message = NativeLibvirt.INSTANCE.virGetLastErrorMessage();
            if (code == ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE.ordinal()) {
                return CpuVerdict.incompatible(message);
            }
            throw LibvirtErrors.of(code, message, host, action, c.alive(), null);
        }
        return result == NativeLibvirt.CPU_COMPARE_INCOMPATIBLE
                ? CpuVerdict.incompatible("libvirt finds the guest CPU incompatible with " + host)
                : CpuVerdict.COMPATIBLE;
    }

    @Override
    public HostNetworks networks() throws HypervisorException {
        LibvirtConnection c = connection.get();
        try {
            return new HostNetworks(Set.of(c.listNetworks()), Set.of(c.listInterfaces()));
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "list the active networks and interfaces", c);
        }
    }

    /**
     * Runs {@code virDomainMigrateToURI3} on a thread of its own: it blocks for the whole
     * migration, and the caller must be free to poll {@link #jobStats} and to abort meanwhile.
     */
    @Override
    public CompletableFuture<Void> migrate(String guest, MigrationCall call) throws HypervisorException {
        LibvirtConnection c = connection.get();
        String action = "migrate " + guest + " to " + call.destinationUri();
        Domain d = lookup(c, guest, action);
        TypedParameter[] params = MigrationParameters.of(guest, call);
        int flags = MigrationParameters.flags(call);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                d.migrateToURI(call.destinationUri(), params, flags);
                done.complete(null);
            } catch (LibvirtException e) {
                done.completeExceptionally(LibvirtErrors.of(e, host, action, c));
            } catch (RuntimeException e) {
                done.completeExceptionally(new HypervisorException(Kind.FAILED, host, "cannot " + action + ": " + e, e));
            } finally {
                free(d);
            }
        }, "migrate-" + guest + "@" + host);
        worker.setDaemon(true);
        worker.start();
        return done;
    }

    @Override
    public Optional<JobStats> jobStats(String guest) throws HypervisorException {
        Optional<DomainJobStats> raw = onDomain(guest, "read the job statistics of " + guest, d -> {
            try {
                return Optional.of(d.getJobStats(0));
            } catch (LibvirtException e) {
                if (LibvirtErrors.isGone(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        });
        if (raw.isEmpty() || raw.get().type == JobStatsParameters.JOB_NONE) {
            return Optional.empty();
        }
        Optional<Boolean> postCopy = inPostCopy(guest);
        // the guest may have left between the two calls: then the job is over
        return postCopy.flatMap(p -> JobStatsParameters.parse(raw.get(), p));
    }

    /**
     * Empty after a migration that switched to post-copy: libvirt 9.0 keeps no completed job on
     * the destination then (seen in the lab with {@code virsh domjobinfo --completed} too).
     */
    @Override
    public Optional<JobStats> completedJobStats(String guest) throws HypervisorException {
        DomainJobStats raw = onDomain(guest, "read the completed job statistics of " + guest,
                d -> d.getJobStats(JOB_STATS_COMPLETED | JOB_STATS_KEEP_COMPLETED));
        return JobStatsParameters.parse(raw, false);
    }

    @Override
    public void abortJob(String guest) throws HypervisorException {
        onDomain(guest, "abort the job of " + guest, Domain::abortJob);
    }

    @Override
    public void setMaxDowntime(String guest, Duration downtime) throws HypervisorException {
        onDomain(guest, "set the allowed downtime of " + guest + " to " + downtime.toMillis() + " ms",
                d -> d.migrateSetMaxDowntime(downtime.toMillis()));
    }

    @Override
    public void startPostCopy(String guest) throws HypervisorException {
        onNativeDomain(guest, "switch the migration of " + guest + " to post-copy",
                d -> NativeLibvirt.INSTANCE.virDomainMigrateStartPostCopy(d, 0));
    }

    @Override
    public boolean isPersistent(String guest) throws HypervisorException {
        return onDomain(guest, "ask whether " + guest + " is persistent", d -> d.isPersistent() == 1);
    }

    @Override
    public void persist(String guest) throws HypervisorException {
        String xml = onDomain(guest, "read the migratable XML of " + guest, d -> d.getXMLDesc(XML_SECURE | XML_MIGRATABLE));
        LibvirtConnection c = connection.get();
        try {
            free(c.domainDefineXML(xml));
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, "define " + guest, c);
        }
    }

    @Override
    public void undefine(String guest) throws HypervisorException {
        onDomain(guest, "undefine " + guest, d -> {
            d.undefine();
            return null;
        });
    }

    @Override
    public void suspend(String guest) throws HypervisorException {
        onDomain(guest, "suspend " + guest, d -> {
            d.suspend();
            return null;
        });
    }

    @Override
    public void resume(String guest) throws HypervisorException {
        onDomain(guest, "resume " + guest, d -> {
            d.resume();
            return null;
        });
    }

    @Override
    public Subscription addLifecycleListener(LifecycleListener listener) throws HypervisorException {
        return connection.subscribe(listener);
    }

    /** Paused with reason POSTCOPY is how libvirt shows a source in post-copy; empty if the guest is gone. */
    private Optional<Boolean> inPostCopy(String guest) throws HypervisorException {
        IntByReference state = new IntByReference();
        IntByReference reason = new IntByReference();
        try {
            onNativeDomain(guest, "read the state of " + guest,
                    d -> NativeLibvirt.INSTANCE.virDomainGetState(d, state, reason, 0));
        } catch (HypervisorException e) {
            if (e.kind() == Kind.NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(state.getValue() == NativeLibvirt.DOMAIN_PAUSED
                && reason.getValue() == NativeLibvirt.PAUSED_POSTCOPY);
    }

    /** Empty if the domain vanished since it was listed. */
    private static Optional<DomainState> readState(Domain d) throws LibvirtException {
        DomainInfo info;
        try {
            info = d.getInfo();
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(switch (info.state) {
            case VIR_DOMAIN_RUNNING -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            case VIR_DOMAIN_NOSTATE, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_PMSUSPENDED -> DomainState.OTHER;
        });
    }

    @FunctionalInterface
    private interface DomainCall<T> {
        T apply(Domain d) throws LibvirtException;
    }

    private <T> T onDomain(String guest, String action, DomainCall<T> call) throws HypervisorException {
        LibvirtConnection c = connection.get();
        Domain d = lookup(c, guest, action);
        try {
            return call.apply(d);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, action, c);
        } finally {
            free(d);
        }
    }

    @FunctionalInterface
    private interface NativeDomainCall {
        /** @return libvirt's result, negative on failure */
        int apply(DomainPointer d);
    }

    /** The same as {@link #onDomain} for {@link NativeLibvirt} calls, over a handle of their own. */
    private void onNativeDomain(String guest, String action, NativeDomainCall call) throws HypervisorException {
        LibvirtConnection c = connection.get();
        DomainPointer d = NativeLibvirt.INSTANCE.virDomainLookupByName(c.pointer(), guest);
        if (d == null) {
            throw LibvirtErrors.lastError(host, action, c);
        }
        try {
            if (call.apply(d) < 0) {
                // read before virDomainFree, which resets the thread's last error
                throw LibvirtErrors.lastError(host, action, c);
            }
        } finally {
            NativeLibvirt.INSTANCE.virDomainFree(d);
        }
    }

    private Domain lookup(LibvirtConnection c, String guest, String action) throws HypervisorException {
        try {
            return c.domainLookupByName(guest);
        } catch (LibvirtException e) {
            throw LibvirtErrors.of(e, host, action, c);
        }
    }

    private void free(Domain d) {
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.log(Level.DEBUG, host + ": cannot free a domain handle: " + e.getMessage());
        }
    }
}
