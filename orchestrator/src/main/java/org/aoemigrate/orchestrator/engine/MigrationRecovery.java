package org.aoemigrate.orchestrator.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.MigrationEvent.Kind;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;
import org.aoemigrate.orchestrator.journal.MigrationHistory;
import org.aoemigrate.orchestrator.journal.MigrationJournal;

/**
 * Settles migrations a crash left open (design step 7). Where the guest runs decides, not what
 * the journal last said: a guest active on exactly one host gets the reservation of that host
 * (and is resumed if the move had paused it); a guest active on two hosts or on none is reported
 * and left for the operator, since only a human can tell which copy is right or where to start it.
 */
final class MigrationRecovery {

    private final Inventory inventory;
    private final Hypervisors hypervisors;
    private final StorageFence fence;
    private final MigrationJournal journal;
    private final Ticker ticker;
    private final MigrationListener listener;

    MigrationRecovery(Inventory inventory, Hypervisors hypervisors, StorageFence fence, MigrationJournal journal,
            Ticker ticker, MigrationListener listener) {
        this.inventory = inventory;
        this.hypervisors = hypervisors;
        this.fence = fence;
        this.journal = journal;
        this.ticker = ticker;
        this.listener = listener;
    }

    /** Settles each open migration whose guest {@code moving} does not claim. */
    List<RecoveryOutcome> recover(Predicate<String> moving) throws IOException {
        List<RecoveryOutcome> outcomes = new ArrayList<>();
        for (MigrationHistory h : journal.open()) {
            String guest = h.first().guest();
            if (!moving.test(guest)) {
                outcomes.add(settle(h, guest));
            }
        }
        return outcomes;
    }

    private RecoveryOutcome settle(MigrationHistory h, String guest) throws IOException {
        if (h.step(JournalStep.RESERVED).isEmpty()) {
            return close(h, guest, Optional.empty(), "it stopped before any reservation changed; nothing to undo");
        }
        GuestLocation where = new GuestLocator(hypervisors).locate(inventory, guest);
        List<String> active = where.activeOn();
        if (active.size() > 1) {
            return report(h, guest, Optional.empty(), guest + " is active on " + String.join(" and ", active)
                    + ": split brain; stop the copy that should not run, then run recover again");
        }
        if (active.isEmpty()) {
            String defined = where.states().isEmpty() ? "no host knows it"
                    : "defined on " + String.join(", ", where.states().keySet().stream().sorted().toList());
            return report(h, guest, Optional.empty(), guest + " runs nowhere (" + defined
                    + (where.unreachable().isEmpty() ? "" : "; no answer from " + String.join(", ", where.unreachable()))
                    + "); start it on one host, then run recover again");
        }
        Host host = inventory.host(active.get(0)).orElseThrow();
        Hypervisor hv;
        List<ExportDisk> exports;
        try {
            hv = hypervisors.of(host);
            exports = exports(DomainDescription.parse(hv.domainXml(guest)));
        } catch (HypervisorException | IllegalArgumentException e) {
            return report(h, guest, Optional.of(host.name()), "cannot read " + guest + "'s disks on " + host.name() + ": "
                    + e.getMessage() + "; run recover again");
        }
        Set<MacAddress> macs = host.macs();
        for (ExportDisk e : exports) {
            fence.reserve(e.address(), macs);
        }
        String reserved = exports.stream().map(ExportDisk::address).map(ExportAddress::toString)
                .collect(Collectors.joining(", ")) + " reserved to " + host.name();
        if (where.states().get(host.name()) == DomainState.PAUSED && !startedPaused(h)) {
            try {
                hv.resume(guest);
                reserved += "; resumed there";
            } catch (HypervisorException e) {
                return report(h, guest, Optional.of(host.name()), reserved + "; " + guest + " is paused there and could not"
                        + " be resumed (" + e.getMessage() + "); resume it, then run recover again");
            }
        }
        return close(h, guest, Optional.of(host.name()), guest + " runs on " + host.name() + "; " + reserved);
    }

    private boolean startedPaused(MigrationHistory h) {
        return h.step(JournalStep.PREFLIGHT_OK).map(e -> e.detail().contains(MigrationEngine.STARTED_PAUSED)).orElse(false);
    }

    private List<ExportDisk> exports(DomainDescription domain) {
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

    /** Settled: journal the end of the migration. */
    private RecoveryOutcome close(MigrationHistory h, String guest, Optional<String> host, String action) throws IOException {
        JournalEntry last = h.last();
        journal.append(new JournalEntry(ticker.now(), h.id(), JournalStep.RECOVERED, guest, last.source(),
                last.destination(), action));
        emit(h.id(), guest, Kind.FINISHED, "recovered: " + action);
        return new RecoveryOutcome(h.id(), guest, host, true, action);
    }

    /** Not settled: the migration stays open in the journal until the operator has acted. */
    private RecoveryOutcome report(MigrationHistory h, String guest, Optional<String> host, String action) {
        emit(h.id(), guest, Kind.WARNING, "not recovered: " + action);
        return new RecoveryOutcome(h.id(), guest, host, false, action);
    }

    private void emit(String id, String guest, Kind kind, String message) {
        try {
            listener.on(new MigrationEvent(ticker.now(), id, guest, kind, message, Optional.empty()));
        } catch (RuntimeException e) {
            // a listener that went away does not stop recovery
        }
    }
}
