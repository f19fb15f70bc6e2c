package org.aoemigrate.orchestrator.hypervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aoemigrate.orchestrator.engine.DomainDescription;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;

/**
 * An in-memory cluster of hypervisors for unit tests: guests, peer-to-peer migrations that
 * progress in simulated time (sleeping on {@link #ticker()} advances it), injected failures
 * (a host dies, the link is cut, a job is aborted), and a guard: a guest may be active on at most
 * one host; any step that would break that is recorded in {@link #splitBrains()} and throws.
 *
 * <p>All state is guarded by this object's monitor, so several engine threads may use it.
 */
public final class FakeCluster implements Hypervisors {

    private static final Pattern VCPUS = Pattern.compile("<vcpu[^>]*>\\s*(\\d+)\\s*</vcpu>");

    /** Simulation granularity: small next to poll intervals and downtimes. */
    private static final Duration STEP = Duration.ofMillis(10);

    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final Map<String, SimulatedMigration> migrations = new LinkedHashMap<>();
    private final List<String> timeline = new ArrayList<>();
    private final List<String> splitBrains = new ArrayList<>();
    private final List<Map.Entry<Instant, Runnable>> scheduled = new ArrayList<>();
    private final Map<String, FakeHypervisor> views = new LinkedHashMap<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long linkBandwidth = 100L << 20;

    public synchronized FakeHost addHost(String name, String migrationUri) {
        FakeHost h = new FakeHost(name, migrationUri);
        hosts.put(name, h);
        views.put(name, new FakeHypervisor(this, h));
        return h;
    }

    public synchronized FakeHost host(String name) {
        return hosts.get(name);
    }

    /** Bytes per second a migration stream gets when the call sets no bandwidth. */
    public synchronized void linkBandwidth(long bytesPerSecond) {
        linkBandwidth = bytesPerSecond;
    }

    /** Defines and starts a guest (its memory and vCPUs come from the XML) that dirties {@code dirtyRate} bytes/s. */
    public synchronized void runGuest(String host, String xml, long dirtyRate) {
        DomainDescription d = DomainDescription.parse(xml);
        requireNotActiveElsewhere(d.name(), host);
        FakeHost.Domain domain = new FakeHost.Domain(d.name(), xml, d.memoryBytes(), DomainState.RUNNING, dirtyRate);
        Matcher vcpus = VCPUS.matcher(xml);
        domain.vcpus = vcpus.find() ? Integer.parseInt(vcpus.group(1)) : 1;
        hosts.get(host).domains.put(d.name(), domain);
    }

    /** The guest keeps this share (0 to 1) of its vCPUs busy from now on, wherever it runs. */
    public synchronized void setCpuLoad(String guest, double share) {
        hosts.values().forEach(h -> Optional.ofNullable(h.domains.get(guest)).ifPresent(d -> d.cpuLoad = share));
    }

    /** Defines a guest without starting it. */
    public synchronized void defineGuest(String host, String xml) {
        DomainDescription d = DomainDescription.parse(xml);
        hosts.get(host).domains.put(d.name(), new FakeHost.Domain(d.name(), xml, d.memoryBytes(), DomainState.SHUT_OFF, 0));
    }

    /** Makes a guest active on a second host, bypassing the guard: the split brain a test wants to see caught. */
    public synchronized void forceSecondCopy(String guest, String host) {
        FakeHost.Domain original = hosts.values().stream().map(h -> h.domains.get(guest)).filter(d -> d != null)
                .findFirst().orElseThrow();
        hosts.get(host).domains.put(guest, new FakeHost.Domain(guest, original.xml, original.memoryBytes,
                DomainState.RUNNING, original.dirtyRate));
    }

    /** The guest's definition on {@code host} becomes transient, as after a migration without PERSIST_DEST. */
    public synchronized void makeTransient(String host, String guest) {
        hosts.get(host).domains.get(guest).persistent = false;
    }

    public synchronized boolean isPersistent(String host, String guest) {
        return hosts.get(host).domains.get(guest).persistent;
    }

    public synchronized void setDirtyRate(String guest, long bytesPerSecond) {
        hosts.values().forEach(h -> Optional.ofNullable(h.domains.get(guest)).ifPresent(d -> d.dirtyRate = bytesPerSecond));
    }

    /** Where the guest is active now. */
    public synchronized List<String> activeOn(String guest) {
        return hosts.values().stream().filter(h -> h.up).filter(h -> {
            FakeHost.Domain d = h.domains.get(guest);
            return d != null && d.state.isActive();
        }).map(h -> h.name).toList();
    }

    public synchronized Optional<DomainState> stateOn(String host, String guest) {
        return Optional.ofNullable(hosts.get(host).domains.get(guest)).map(d -> d.state);
    }

    /** The host dies: its guests are gone, its libvirt does not answer, migrations to or from it fail. */
    public synchronized void killHost(String name) {
        FakeHost h = hosts.get(name);
        h.up = false;
        h.domains.clear();
        note(name + " died");
        for (SimulatedMigration m : List.copyOf(migrations.values())) {
            if (m.source == h || m.destination == h) {
                fail(m, new HypervisorException(Kind.FAILED, m.source.name, "migration failed: " + name
                        + " does not answer (connection reset)"));
            }
        }
    }

    /** The migration network between two hosts fails: their migrations fail, both hosts live on. */
    public synchronized void cutLink(String a, String b) {
        note("link " + a + "-" + b + " cut");
        for (SimulatedMigration m : List.copyOf(migrations.values())) {
            if ((m.source.name.equals(a) && m.destination.name.equals(b)) || (m.source.name.equals(b) && m.destination.name.equals(a))) {
                fail(m, new HypervisorException(Kind.FAILED, m.source.name, "migration failed: Unable to write to socket: Connection reset by peer"));
            }
        }
    }

    /** Runs {@code action} when simulated time has advanced by {@code after}. */
    public synchronized void schedule(Duration after, Runnable action) {
        scheduled.add(Map.entry(now.plus(after), action));
    }

    /** What happened, in order: resumes, handovers, deaths; fakes of other ports may add to it via {@link #note}. */
    public synchronized List<String> timeline() {
        return List.copyOf(timeline);
    }

    public synchronized void note(String event) {
        timeline.add(event);
    }

    /** Every moment a guest was (about to be) active on two hosts. */
    public synchronized List<String> splitBrains() {
        return List.copyOf(splitBrains);
    }

    public synchronized Instant now() {
        return now;
    }

    /** A ticker whose sleep advances this cluster: the engine's polls drive the simulation. */
    public Ticker ticker() {
        return new Ticker() {
            @Override
            public Instant now() {
                return FakeCluster.this.now();
            }

            @Override
            public void sleep(Duration d) {
                advance(d);
            }
        };
    }

    public synchronized void advance(Duration d) {
        Instant end = now.plus(d);
        while (now.isBefore(end)) {
            now = now.plus(STEP);
            for (Map.Entry<Instant, Runnable> e : List.copyOf(scheduled)) {
                if (!e.getKey().isAfter(now)) {
                    scheduled.remove(e);
                    e.getValue().run();
                }
            }
            for (FakeHost h : hosts.values()) {
                for (FakeHost.Domain g : h.domains.values()) {
                    if (g.state == DomainState.RUNNING) {
                        g.cpuTimeNanos += (long) (g.cpuLoad * g.vcpus * STEP.toNanos());
                    }
                }
            }
            for (SimulatedMigration m : List.copyOf(migrations.values())) {
                FakeHost.Domain dom = m.source.domains.get(m.guest);
                if (dom != null && m.step(STEP, dom.dirtyRate, dom.state == DomainState.RUNNING)) {
                    handOver(m, dom);
                }
            }
        }
    }

    @Override
    public synchronized Hypervisor of(org.aoemigrate.orchestrator.inventory.Host host) throws HypervisorException {
        FakeHost h = hosts.get(host.name());
        if (h == null || !h.up) {
            throw new HypervisorException(Kind.UNREACHABLE, host.name(), "unable to connect to " + host.libvirtUri()
                    + ": Connection refused");
        }
        return views.get(host.name());
    }

    // ---- used by FakeHypervisor, under this monitor ----

    synchronized FakeHost requireUp(FakeHost h) throws HypervisorException {
        if (!h.up) {
            throw new HypervisorException(Kind.UNREACHABLE, h.name, "Cannot recv data: Connection reset by peer");
        }
        return h;
    }

    synchronized SimulatedMigration start(FakeHost source, String guest, MigrationCall call) throws HypervisorException {
        FakeHost destination = hosts.values().stream().filter(h -> h.migrationUri.equals(call.destinationUri()))
                .findFirst().orElseThrow(() -> new HypervisorException(Kind.FAILED, source.name,
                        "unable to connect to server at '" + call.destinationUri() + "'"));
        if (!destination.up) {
            throw new HypervisorException(Kind.FAILED, source.name, "unable to connect to " + call.destinationUri()
                    + ": Connection refused");
        }
        if (migrations.containsKey(guest)) {
            throw new HypervisorException(Kind.FAILED, source.name, "Requested operation is not valid: another migration job is active");
        }
        FakeHost.Domain d = source.domains.get(guest);
        SimulatedMigration m = new SimulatedMigration(guest, source, destination, call, d.memoryBytes, linkBandwidth);
        migrations.put(guest, m);
        note("migrate " + guest + " " + source.name + "->" + destination.name);
        return m;
    }

    synchronized Optional<SimulatedMigration> migrationOf(FakeHost source, String guest) {
        SimulatedMigration m = migrations.get(guest);
        return m != null && m.source == source ? Optional.of(m) : Optional.empty();
    }

    synchronized void abort(SimulatedMigration m) {
        fail(m, new HypervisorException(Kind.ABORTED, m.source.name, "operation aborted: job 'migration out' canceled by client"));
    }

    private void fail(SimulatedMigration m, HypervisorException e) {
        migrations.remove(m.guest);
        note("migration of " + m.guest + " failed");
        m.done.completeExceptionally(e);
    }

    /**
     * The switchover: the source stops, the destination starts, in one step, as libvirt's
     * Finish/Confirm. A guest paused at the end arrives paused, as with the PAUSED flag (libvirt's
     * peer-to-peer path adds the flag for a paused domain), so the engine must resume it itself.
     */
    private void handOver(SimulatedMigration m, FakeHost.Domain dom) {
        migrations.remove(m.guest);
        boolean paused = m.call.has(MigrationFlag.PAUSED) || dom.state == DomainState.PAUSED;
        m.source.fire(m.guest, LifecycleEvent.Type.SUSPENDED, "MIGRATED");
        if (m.call.has(MigrationFlag.UNDEFINE_SOURCE)) {
            m.source.domains.remove(m.guest);
        } else {
            dom.state = DomainState.SHUT_OFF;
        }
        m.source.fire(m.guest, LifecycleEvent.Type.STOPPED, "MIGRATED");
        requireNotActiveElsewhere(m.guest, m.destination.name);
        FakeHost.Domain arrived = new FakeHost.Domain(m.guest, dom.xml, dom.memoryBytes,
                paused ? DomainState.PAUSED : DomainState.RUNNING, dom.dirtyRate);
        arrived.vcpus = dom.vcpus;
        arrived.cpuLoad = dom.cpuLoad;
        arrived.persistent = m.call.has(MigrationFlag.PERSIST_DEST);
        m.destination.domains.put(m.guest, arrived);
        m.destination.completedJobs.put(m.guest, m.stats(dom.dirtyRate, true));
        m.destination.fire(m.guest, LifecycleEvent.Type.STARTED, "MIGRATED");
        note("moved " + m.guest + " " + m.source.name + "->" + m.destination.name);
        if (!paused) {
            note("resume " + m.guest + " on " + m.destination.name);
            m.destination.fire(m.guest, LifecycleEvent.Type.RESUMED, "MIGRATED");
        }
        m.done.complete(null);
    }

    void requireNotActiveElsewhere(String guest, String host) {
        List<String> elsewhere = activeOn(guest).stream().filter(h -> !h.equals(host)).toList();
        if (!elsewhere.isEmpty()) {
            String alarm = guest + " would be active on " + host + " while active on " + elsewhere;
            splitBrains.add(alarm);
            throw new IllegalStateException("split brain: " + alarm);
        }
    }
}
