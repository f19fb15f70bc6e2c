package org.aoemigrate.orchestrator.hypervisor;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One host's libvirt, reduced to what the migration engine needs. The engine knows no libvirt
 * class; the libvirt-java 0.5.4 adapter implements this over {@code Connect} and {@code Domain},
 * and the unit tests over an in-memory cluster.
 *
 * <p>Guests are named by their libvirt domain name. Every method may be called from several
 * threads at once.
 */
public interface Hypervisor {

    /** The inventory name of this host. */
    String host();

    /** Every domain defined or active here, with its state ({@code listAllDomains}). */
    Map<String, DomainState> domains() throws HypervisorException;

    /** The state of one domain here; empty if this host does not know it. */
    Optional<DomainState> domainState(String guest) throws HypervisorException;

    /**
     * Every active domain here with its vCPUs, memory and CPU time so far ({@code listAllDomains(ACTIVE)},
     * {@code getInfo}); a domain that goes away while it is read is left out.
     */
    Map<String, GuestUsage> guestUsage() throws HypervisorException;

    /** The live domain XML ({@code getXMLDesc(0)}). */
    String domainXml(String guest) throws HypervisorException;

    /** CPUs, memory and free memory ({@code nodeInfo}, {@code getFreeMemory}). */
    HostResources resources() throws HypervisorException;

    /**
     * Can this host run a guest with this CPU definition (the domain XML's {@code <cpu>} element)?
     * {@code virConnectCompareCPU}: INCOMPATIBLE is not compatible; IDENTICAL and SUPERSET are.
     */
    CpuVerdict compareCpu(String guestCpuXml) throws HypervisorException;

    /**
     * Can this host's hypervisor give a domain of this type ({@code <domain type='kvm'>} or
     * {@code 'qemu'}) this CPU definition? {@code virConnectCompareHypervisorCPU}: unlike
     * {@link #compareCpu}, which holds the definition against the host CPU alone, it knows that
     * QEMU's TCG emulates features the host lacks (the lab's qemu64 guest needs svm, which the host
     * CPU does not have). The default is {@link #compareCpu}, for ports without a hypervisor.
     */
    default CpuVerdict compareHypervisorCpu(String domainType, String guestCpuXml) throws HypervisorException {
        return compareCpu(guestCpuXml);
    }

    /** The active libvirt networks and host interfaces (bridges) here. */
    HostNetworks networks() throws HypervisorException;

    /**
     * Starts a peer-to-peer live migration of {@code guest} from this host
     * ({@code Domain.migrateToURI(String, TypedParameter[], int)}, which blocks for the whole
     * migration, so the adapter runs it on a worker). The future completes when libvirt returns:
     * normally when the guest has moved, exceptionally with a {@link HypervisorException} when it
     * has not (ABORTED after {@link #abortJob}).
     */
    CompletableFuture<Void> migrate(String guest, MigrationCall call) throws HypervisorException;

    /** The running job's statistics on the source; empty when no job runs (yet, or any more). */
    Optional<JobStats> jobStats(String guest) throws HypervisorException;

    /** The last completed job's statistics (on the destination after a migration: has the downtime). */
    Optional<JobStats> completedJobStats(String guest) throws HypervisorException;

    /** Aborts the running job ({@code abortJob}); a pre-copy migration then fails and the guest stays here. */
    void abortJob(String guest) throws HypervisorException;

    /** Sets the downtime the running migration may take at switchover ({@code migrateSetMaxDowntime}). */
    void setMaxDowntime(String guest, Duration downtime) throws HypervisorException;

    /**
     * Switches the running migration (started with POSTCOPY) to post-copy
     * ({@code virDomainMigrateStartPostCopy}; libvirt-java 0.5.4 lacks it, so the adapter binds it itself).
     */
    void startPostCopy(String guest) throws HypervisorException;

    /**
     * True if the domain has a persistent definition here ({@code virDomainIsPersistent}): it
     * outlives a stop; false if it is transient (gone when it stops).
     */
    boolean isPersistent(String guest) throws HypervisorException;

    /**
     * Makes a running transient domain persistent here, from its own migratable XML
     * ({@code virDomainDefineXML}), as PERSIST_DEST would have at the end of a migration.
     */
    void persist(String guest) throws HypervisorException;

    /** Removes the definition of a domain that is not active here ({@code virDomainUndefine}). */
    void undefine(String guest) throws HypervisorException;

    void suspend(String guest) throws HypervisorException;

    void resume(String guest) throws HypervisorException;

    /** Lifecycle events of every domain on this host ({@code addLifecycleListener}). */
    Subscription addLifecycleListener(LifecycleListener listener) throws HypervisorException;
}
