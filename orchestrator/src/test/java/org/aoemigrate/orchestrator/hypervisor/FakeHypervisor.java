package org.aoemigrate.orchestrator.hypervisor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;

/** One host of a {@link FakeCluster} seen through the {@link Hypervisor} port; every call takes the cluster's monitor. */
final class FakeHypervisor implements Hypervisor {

    private static final Pattern CPU_MODEL = Pattern.compile("<model[^>]*>([^<]+)</model>");

    private final FakeCluster cluster;
    private final FakeHost host;

    FakeHypervisor(FakeCluster cluster, FakeHost host) {
        this.cluster = cluster;
        this.host = host;
    }

    @Override
    public String host() {
        return host.name;
    }

    private FakeHost.Domain domain(String guest) throws HypervisorException {
        FakeHost.Domain d = cluster.requireUp(host).domains.get(guest);
        if (d == null) {
            throw new HypervisorException(Kind.NO_DOMAIN, host.name, "Domain not found: no domain with matching name '" + guest + "'");
        }
        return d;
    }

    @Override
    public Map<String, DomainState> domains() throws HypervisorException {
        synchronized (cluster) {
            Map<String, DomainState> m = new LinkedHashMap<>();
            cluster.requireUp(host).domains.forEach((n, d) -> m.put(n, d.state));
            return m;
        }
    }

    @Override
    public Map<String, GuestUsage> guestUsage() throws HypervisorException {
        synchronized (cluster) {
            Map<String, GuestUsage> m = new LinkedHashMap<>();
            cluster.requireUp(host).domains.forEach((n, d) -> {
                if (d.state.isActive()) {
                    m.put(n, new GuestUsage(d.vcpus, d.memoryBytes, d.cpuTimeNanos));
                }
            });
            return m;
        }
    }

    @Override
    public Optional<DomainState> domainState(String guest) throws HypervisorException {
        synchronized (cluster) {
            return Optional.ofNullable(cluster.requireUp(host).domains.get(guest)).map(d -> d.state);
        }
    }

    @Override
    public String domainXml(String guest) throws HypervisorException {
        synchronized (cluster) {
            return domain(guest).xml;
        }
    }

    @Override
    public HostResources resources() throws HypervisorException {
        synchronized (cluster) {
            cluster.requireUp(host);
            return new HostResources(host.cpus, host.memoryBytes, host.freeMemory());
        }
    }

    @Override
    public CpuVerdict compareCpu(String guestCpuXml) throws HypervisorException {
        synchronized (cluster) {
            cluster.requireUp(host);
            Matcher m = CPU_MODEL.matcher(guestCpuXml);
            if (!m.find()) {
                return CpuVerdict.COMPATIBLE;
            }
            String model = m.group(1).strip();
            return host.cpuModels.contains(model) ? CpuVerdict.COMPATIBLE
                    : CpuVerdict.incompatible("the host CPU does not provide model " + model);
        }
    }

    @Override
    public HostNetworks networks() throws HypervisorException {
        synchronized (cluster) {
            cluster.requireUp(host);
            return new HostNetworks(host.networks, host.bridges);
        }
    }

    @Override
    public CompletableFuture<Void> migrate(String guest, MigrationCall call) throws HypervisorException {
        synchronized (cluster) {
            FakeHost.Domain d = domain(guest);
            if (!d.state.isActive()) {
                throw new HypervisorException(Kind.FAILED, host.name, "Requested operation is not valid: domain is not running");
            }
            return cluster.start(host, guest, call).done;
        }
    }

    @Override
    public Optional<JobStats> jobStats(String guest) throws HypervisorException {
        synchronized (cluster) {
            FakeHost.Domain d = domain(guest);
            return cluster.migrationOf(host, guest).map(m -> m.stats(d.dirtyRate, false));
        }
    }

    @Override
    public Optional<JobStats> completedJobStats(String guest) throws HypervisorException {
        synchronized (cluster) {
            return Optional.ofNullable(cluster.requireUp(host).completedJobs.get(guest));
        }
    }

    @Override
    public void abortJob(String guest) throws HypervisorException {
        synchronized (cluster) {
            domain(guest);
            SimulatedMigration m = cluster.migrationOf(host, guest).orElseThrow(() -> new HypervisorException(
                    Kind.FAILED, host.name, "Requested operation is not valid: no job is active on the domain"));
            cluster.note("abort migration of " + guest);
            cluster.abort(m);
        }
    }

    @Override
    public void setMaxDowntime(String guest, Duration downtime) throws HypervisorException {
        synchronized (cluster) {
            domain(guest);
            cluster.migrationOf(host, guest).orElseThrow(() -> new HypervisorException(Kind.FAILED, host.name,
                    "Requested operation is not valid: domain is not being migrated")).maxDowntime = downtime;
            cluster.note("allowed downtime of " + guest + " " + downtime.toMillis() + " ms");
        }
    }

    @Override
    public void startPostCopy(String guest) throws HypervisorException {
        synchronized (cluster) {
            SimulatedMigration m = cluster.migrationOf(host, guest).orElseThrow(() -> new HypervisorException(Kind.FAILED,
                    host.name, "Requested operation is not valid: domain is not being migrated"));
            if (!m.call.has(MigrationFlag.POSTCOPY)) {
                throw new HypervisorException(Kind.FAILED, host.name, "post-copy migration was not enabled (VIR_MIGRATE_POSTCOPY)");
            }
            cluster.note("post-copy " + guest);
            m.postCopy = true;
        }
    }

    @Override
    public boolean isPersistent(String guest) throws HypervisorException {
        synchronized (cluster) {
            return domain(guest).persistent;
        }
    }

    @Override
    public void persist(String guest) throws HypervisorException {
        synchronized (cluster) {
            domain(guest).persistent = true;
            cluster.note("define " + guest + " on " + host.name);
        }
    }

    @Override
    public void undefine(String guest) throws HypervisorException {
        synchronized (cluster) {
            FakeHost.Domain d = domain(guest);
            if (d.state.isActive()) {
                d.persistent = false;
            } else {
                host.domains.remove(guest);
            }
            cluster.note("undefine " + guest + " on " + host.name);
        }
    }

    @Override
    public void suspend(String guest) throws HypervisorException {
        synchronized (cluster) {
            FakeHost.Domain d = domain(guest);
            d.state = DomainState.PAUSED;
            cluster.note("suspend " + guest + " on " + host.name);
            host.fire(guest, LifecycleEvent.Type.SUSPENDED, "PAUSED");
        }
    }

    @Override
    public void resume(String guest) throws HypervisorException {
        synchronized (cluster) {
            FakeHost.Domain d = domain(guest);
            cluster.requireNotActiveElsewhere(guest, host.name);
            d.state = DomainState.RUNNING;
            cluster.note("resume " + guest + " on " + host.name);
            host.fire(guest, LifecycleEvent.Type.RESUMED, "UNPAUSED");
        }
    }

    @Override
    public Subscription addLifecycleListener(LifecycleListener listener) throws HypervisorException {
        synchronized (cluster) {
            cluster.requireUp(host).listeners.add(listener);
            return () -> {
                synchronized (cluster) {
                    host.listeners.remove(listener);
                }
            };
        }
    }
}
