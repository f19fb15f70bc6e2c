package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.MigrationEvent.Kind;
import org.aoemigrate.orchestrator.engine.check.DestinationCheck;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.aoemigrate.orchestrator.journal.MigrationHistory;
import org.aoemigrate.orchestrator.journal.MigrationJournal;

/**
 * Settles migrations a crash left open (design step 7). Where the guest really is decides, not
 * what the journal last said: a migration reported as failed may have completed (ganeti#382), and
 * libvirt finishes a peer-to-peer migration on its own when the daemon that asked for it dies.
 *
 * <p>For each open migration: wait while libvirt's own job still runs; ask every host; then
 * <ul>
 * <li>active on exactly one host: the reservation becomes that host's alone, the guest is defined
 *     there and nowhere else, and, if the move had paused it (fenced cutover, pause-to-finish), it
 *     is resumed once the {@link SingleCopyGuard} and the host's initiator check agree; closed;
 * <li>active on two hosts: split-brain alarm, nothing touched, left open: only a human can tell
 *     which copy is right;
 * <li>active nowhere, or a host of the migration does not answer: said so, nothing changed, left
 *     open: recover does not guess where to start a guest.
 * </ul>
 */
final class MigrationRecovery {

    /** How long recover waits for a migration libvirt still runs on its own after its daemon died. */
    static final Duration LIBVIRT_JOB_WAIT = Duration.ofMinutes(5);

    private final Inventory inventory;
    private final Hypervisors hypervisors;
    private final StorageFence fence;
    private final MigrationJournal journal;
    private final Ticker ticker;
    private final Duration pollInterval;
    private final SingleCopyGuard guard;
    private final DestinationCheck destinationCheck;
    private final MigrationListener listener;

    MigrationRecovery(Inventory inventory, Hypervisors hypervisors, StorageFence fence, MigrationJournal journal,
            Ticker ticker, Duration pollInterval, SingleCopyGuard guard, DestinationCheck destinationCheck,
            MigrationListener listener) {
        this.inventory = inventory;
        this.hypervisors = hypervisors;
        this.fence = fence;
        this.journal = journal;
        this.ticker = ticker;
        this.pollInterval = pollInterval;
        this.guard = guard;
        this.destinationCheck = destinationCheck;
        this.listener = listener;
    }

    /**
     * Settles each open migration whose guest {@code moving} does not claim; with {@code which},
     * only the one with that id or guest.
     */
    List<RecoveryOutcome> recover(Optional<String> which, Predicate<String> moving) throws IOException, InterruptedException {
        List<RecoveryOutcome> outcomes = new ArrayList<>();
        for (MigrationHistory h : journal.open()) {
            String guest = h.first().guest();
            boolean named = which.map(w -> w.equals(h.id()) || w.equals(guest)).orElse(true);
            if (named && !moving.test(guest)) {
                outcomes.add(settle(h, guest));
            }
        }
        return outcomes;
    }

    private RecoveryOutcome settle(MigrationHistory h, String guest) throws IOException, InterruptedException {
        // the reservation is changed before RESERVED is journaled: a crash in between leaves PREFLIGHT_OK last
        boolean reserved = h.step(JournalStep.PREFLIGHT_OK).isPresent();
        String source = source(h);
        if (reserved) {
            Optional<String> running = awaitLibvirtJob(h, guest, source);
            if (running.isPresent()) {
                return report(h, running.get(), Optional.empty(), "nothing changed; run aoemigrate recover again once that"
                        + " job has ended");
            }
        }
        GuestLocation where = new GuestLocator(hypervisors).locate(inventory, guest);
        List<String> active = where.activeOn();
        List<ExportDisk> exports = exports(guest, active.isEmpty() ? where.states().keySet().stream().sorted().toList() : active);
        String found = found(h, where, exports);
        if (active.size() > 1) {
            String alarm = guest + " is active on " + String.join(" and ", active) + ": split brain; nothing touched; stop"
                    + " the copy that should not run, then run aoemigrate recover again";
            emit(h.id(), guest, Kind.SPLIT_BRAIN, alarm);
            return report(h, found, Optional.empty(), alarm);
        }
        Optional<String> runsOn = active.stream().findFirst();
        if (!reserved) {
            return close(h, found, runsOn, "nothing to undo: it stopped in preflight, which changes nothing");
        }
        List<String> silent = where.unreachable().stream().filter(n -> n.equals(source) || n.equals(h.first().destination()))
                .toList();
        if (!silent.isEmpty()) {
            return report(h, found, Optional.empty(), "nothing changed: " + String.join(" and ", silent) + " did not answer,"
                    + " and " + guest + " may run there; run aoemigrate recover again once it answers");
        }
        if (runsOn.isEmpty()) {
            return report(h, found, Optional.empty(), "nothing changed: " + guest + " runs nowhere, and recover does not"
                    + " guess where to start it; start it on one host, then run aoemigrate recover again");
        }
        return settleOn(h, guest, found, where, exports, inventory.host(runsOn.get()).orElseThrow());
    }

    /** The guest is active on {@code host} alone: give it the disks, and resume it if the move had paused it. */
    private RecoveryOutcome settleOn(MigrationHistory h, String guest, String found, GuestLocation where,
            List<ExportDisk> exports, Host host) throws IOException, InterruptedException {
        Optional<String> runsOn = Optional.of(host.name());
        List<String> done = new ArrayList<>();
        for (ExportDisk e : exports) {
            try {
                fence.reserve(e.address(), host.macs());
            } catch (IOException x) {
                return report(h, found, runsOn, join(done) + "the reservation of " + e.address() + " could not be set to "
                        + host.name() + " (" + x.getMessage() + "); run aoemigrate recover again");
            }
        }
        done.add(exports.isEmpty() ? "no disk of " + guest + " is an export of the inventory: no reservation to set"
                : addresses(exports) + " reserved to " + host.name());
        Optional<String> definitions = defineOnlyOn(guest, host, where, done);
        if (definitions.isPresent()) {
            return report(h, found, runsOn, join(done) + definitions.get());
        }
        if (where.states().get(host.name()) == DomainState.PAUSED && !startedPaused(h)) {
            Optional<String> refusal = guard.refusal(guest, host.name());
            if (refusal.isPresent()) {
                emit(h.id(), guest, Kind.SPLIT_BRAIN, refusal.get());
                return report(h, found, runsOn, join(done) + refusal.get());
            }
            // as the fenced cutover would have: the host must see the same disks before the guest runs on them
            Optional<Refusal> disks = Preflight.initiatorRefusal(destinationCheck, host, exports);
            if (disks.isPresent()) {
                return report(h, found, runsOn, join(done) + guest + " stays paused on " + host.name() + ": "
                        + disks.get().reason() + "; fix the disk there, then run aoemigrate recover again");
            }
            try {
                hypervisors.of(host).resume(guest);
                done.add("resumed on " + host.name());
            } catch (HypervisorException e) {
                return report(h, found, runsOn, join(done) + guest + " is paused on " + host.name() + " and could not be"
                        + " resumed (" + e.getMessage() + "); resume it, then run aoemigrate recover again");
            }
        }
        return close(h, found, runsOn, String.join("; ", done));
    }

    /**
     * The guest must be defined where it runs and nowhere else, as PERSIST_DEST and
     * UNDEFINE_SOURCE leave it after a migration: a definition left on another host is a second
     * copy waiting for someone to start it (webvirtmgr#352). Persistent here first, so that the
     * guest always has a definition somewhere. Empty if done (what was done goes to {@code done}).
     */
    private Optional<String> defineOnlyOn(String guest, Host host, GuestLocation where, List<String> done) {
        try {
            Hypervisor hv = hypervisors.of(host);
            if (!hv.isPersistent(guest)) {
                hv.persist(guest);
                done.add("defined persistently on " + host.name());
            }
        } catch (HypervisorException e) {
            return Optional.of(guest + " is transient on " + host.name() + " and could not be defined there (" + e.getMessage()
                    + "); define it, then run aoemigrate recover again");
        }
        for (Map.Entry<String, DomainState> e : new TreeMap<>(where.states()).entrySet()) {
            if (e.getKey().equals(host.name()) || e.getValue().isActive()) {
                continue;
            }
            try {
                hypervisors.of(inventory.host(e.getKey()).orElseThrow()).undefine(guest);
                done.add("its " + e.getValue().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " definition on "
                        + e.getKey() + " removed");
            } catch (HypervisorException x) {
                return Optional.of("its stale definition on " + e.getKey() + " could not be removed (" + x.getMessage()
                        + "); undefine it there, then run aoemigrate recover again");
            }
        }
        return Optional.empty();
    }

    /**
     * A migration whose daemon died may still be copying: libvirt runs a peer-to-peer migration to
     * its end on its own. Deciding before it ends would see the guest on both hosts (the
     * destination's incoming copy is paused) and cry split brain. Empty once no job runs.
     */
    private Optional<String> awaitLibvirtJob(MigrationHistory h, String guest, String source) throws InterruptedException {
        Optional<Host> host = inventory.host(source);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Instant deadline = ticker.now().plus(LIBVIRT_JOB_WAIT);
        boolean told = false;
        for (Optional<JobStats> job = job(host.get(), guest); job.isPresent(); job = job(host.get(), guest)) {
            if (ticker.now().isAfter(deadline)) {
                return Optional.of("libvirt's migration job of " + guest + " still runs on " + source + " after "
                        + LIBVIRT_JOB_WAIT.toSeconds() + " s (" + (job.get().dataRemaining() >> 20) + " MiB remaining)");
            }
            if (!told) {
                emit(h.id(), guest, Kind.WARNING, "libvirt's migration job of " + guest + " still runs on " + source
                        + ": waiting for it to end before deciding");
                told = true;
            }
            ticker.sleep(pollInterval);
        }
        return Optional.empty();
    }

    private Optional<JobStats> job(Host host, String guest) {
        try {
            return hypervisors.of(host).jobStats(guest);
        } catch (HypervisorException e) {
            // gone from the source (moved) or the host does not answer: locating will tell
            return Optional.empty();
        }
    }

    /** "vm1 running on hostB, not defined on hostA; e1.0 reserved to hostA and hostB": what every host said. */
    private String found(MigrationHistory h, GuestLocation where, List<ExportDisk> exports) {
        List<String> parts = new ArrayList<>();
        for (Host host : inventory.hostsInOrder()) {
            String name = host.name();
            DomainState s = where.states().get(name);
            if (s != null) {
                parts.add(s.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " on " + name);
            } else if (where.unreachable().contains(name)) {
                parts.add("no answer from " + name);
            } else if (name.equals(source(h)) || name.equals(h.first().destination())) {
                parts.add("not defined on " + name);
            }
        }
        String guest = h.first().guest();
        String state = parts.isEmpty() ? guest + " known to no host" : guest + " " + String.join(", ", parts);
        return exports.isEmpty() ? state : state + "; " + exports.stream().map(this::reservation).collect(Collectors.joining(", "));
    }

    private String reservation(ExportDisk e) {
        Set<MacAddress> macs;
        try {
            macs = fence.read(e.address());
        } catch (IOException x) {
            return e.address() + " reservation unreadable (" + x.getMessage() + ")";
        }
        if (macs.isEmpty()) {
            return e.address() + " unreserved";
        }
        return e.address() + " reserved to " + macs.stream().map(this::owner).distinct().sorted().collect(Collectors.joining(" and "));
    }

    private String owner(MacAddress mac) {
        return inventory.hostsInOrder().stream().filter(h -> h.macs().contains(mac)).map(Host::name).findFirst()
                .orElse(mac.toString());
    }

    /** The guest's exports, from the domain XML of the first of {@code hosts} that has it. */
    private List<ExportDisk> exports(String guest, List<String> hosts) {
        for (String name : hosts) {
            try {
                DomainDescription d = DomainDescription.parse(hypervisors.of(inventory.host(name).orElseThrow()).domainXml(guest));
                return exportsOf(d);
            } catch (HypervisorException | IllegalArgumentException e) {
                // try the next host that knows it
            }
        }
        return List.of();
    }

    private List<ExportDisk> exportsOf(DomainDescription domain) {
        List<ExportDisk> exports = new ArrayList<>();
        for (GuestDisk d : domain.disks()) {
            if (d.source().startsWith("/dev/etherd/")) {
                try {
                    inventory.exportAt(ExportAddress.parse(d.source().substring("/dev/etherd/".length())))
                            .filter(e -> !exports.contains(e)).ifPresent(exports::add);
                } catch (IllegalArgumentException notAnExport) {
                    // not one of ours: nothing to reserve
                }
            }
        }
        return exports;
    }

    private static String addresses(List<ExportDisk> exports) {
        return exports.stream().map(ExportDisk::address).map(ExportAddress::toString).collect(Collectors.joining(", "));
    }

    private static String join(List<String> done) {
        return done.isEmpty() ? "" : String.join("; ", done) + "; ";
    }

    /** The source as the journal has it: the first entry has none yet (preflight finds it). */
    private static String source(MigrationHistory h) {
        return h.entries().stream().map(JournalEntry::source).filter(s -> s != null && !s.isEmpty()).findFirst().orElse("");
    }

    private static boolean startedPaused(MigrationHistory h) {
        return h.step(JournalStep.PREFLIGHT_OK).map(e -> e.detail().contains(MigrationEngine.STARTED_PAUSED)).orElse(false);
    }

    /** Settled: journal the end of the migration with what was found and done. */
    private RecoveryOutcome close(MigrationHistory h, String found, Optional<String> runsOn, String action) throws IOException {
        String guest = h.first().guest();
        journal.append(new JournalEntry(ticker.now(), h.id(), JournalStep.RECOVERED, guest, source(h), h.first().destination(),
                "found " + found + "; " + action));
        emit(h.id(), guest, Kind.FINISHED, "recovered: found " + found + "; " + action);
        return new RecoveryOutcome(h.id(), guest, source(h), h.first().destination(), found, runsOn, true, action);
    }

    /** Not settled: the migration stays open in the journal until the operator has acted. */
    private RecoveryOutcome report(MigrationHistory h, String found, Optional<String> runsOn, String action) {
        String guest = h.first().guest();
        emit(h.id(), guest, Kind.WARNING, "not recovered: found " + found + "; " + action);
        return new RecoveryOutcome(h.id(), guest, source(h), h.first().destination(), found, runsOn, false, action);
    }

    private void emit(String id, String guest, Kind kind, String message) {
        try {
            listener.on(new MigrationEvent(ticker.now(), id, guest, kind, message, Optional.empty()));
        } catch (RuntimeException e) {
            // a listener that went away does not stop recovery
        }
    }
}
