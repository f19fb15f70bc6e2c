package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.aoemigrate.orchestrator.api.AbortReport;
import org.aoemigrate.orchestrator.api.ApiError;
import org.aoemigrate.orchestrator.api.ApiException;
import org.aoemigrate.orchestrator.api.ApiHandler;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.CheckReport;
import org.aoemigrate.orchestrator.api.ExportReport;
import org.aoemigrate.orchestrator.api.ExportsReport;
import org.aoemigrate.orchestrator.api.HistoryReport;
import org.aoemigrate.orchestrator.api.MaintenanceReport;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.api.RebalanceReport;
import org.aoemigrate.orchestrator.api.RecoverReport;
import org.aoemigrate.orchestrator.api.StatusReport;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.MigrationOrder;
import org.aoemigrate.orchestrator.engine.RecoveryOutcome;
import org.aoemigrate.orchestrator.engine.Refusal;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.CutoverMode;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.MigrationJournal;
import org.aoemigrate.orchestrator.rebalance.BalanceJobs;

/**
 * The daemon's answers to API requests: the engine, the target and the journal behind one handler.
 * While the recovery at start runs, requests that would start a move or settle a migration are
 * refused ({@link StartupRecovery}); the others are answered.
 */
final class DaemonApi implements ApiHandler {

    private final Inventory inventory;
    private final MigrationEngine engine;
    private final Hypervisors hypervisors;
    private final EmbeddedTarget target;
    private final MigrationJournal journal;
    private final BalanceJobs jobs;
    private final StartupRecovery recovery;

    DaemonApi(Inventory inventory, MigrationEngine engine, Hypervisors hypervisors, EmbeddedTarget target,
            MigrationJournal journal, BalanceJobs jobs, StartupRecovery recovery) {
        this.inventory = inventory;
        this.engine = engine;
        this.hypervisors = hypervisors;
        this.target = target;
        this.journal = journal;
        this.jobs = jobs;
        this.recovery = recovery;
    }

    @Override
    public Object handle(ApiRequest request, Consumer<ProgressReport> events) throws ApiException, InterruptedException {
        screen(request);
        return switch (request.op()) {
            case MIGRATE -> Reports.of(engine.migrate(order(request), e -> events.accept(Reports.of(e))));
            case CHECK -> check(request);
            case STATUS -> new StatusReport(hosts(), exports(), engine.active().stream().map(a -> new StatusReport.ActiveMigration(
                    a.id(), a.guest(), a.source(), a.destination())).toList(), recovery.settling());
            case ABORT -> abort(request);
            case HISTORY -> history();
            case EXPORTS -> new ExportsReport(exports());
            case RECOVER -> recover(request, events);
            case DRAIN -> drain(request, events);
            case UNDRAIN -> undrain(request);
            case REBALANCE -> jobs.rebalance(Boolean.TRUE.equals(request.dryRun()), maxMoves(request), BalanceJobs.REQUEST,
                    e -> events.accept(Reports.of(e)));
        };
    }

    /**
     * While the recovery at start runs: no move starts and no migration is settled twice. A check
     * of a guest being settled is refused too: its preflight holds the guest's slot for a moment,
     * and recovery skips a guest whose slot is held.
     */
    private void screen(ApiRequest r) throws ApiException {
        switch (r.op()) {
            case MIGRATE, DRAIN, RECOVER -> recovery.refuseWhileSettling(r.op().wire());
            case REBALANCE -> {
                if (!Boolean.TRUE.equals(r.dryRun())) {
                    recovery.refuseWhileSettling(r.op().wire());
                }
            }
            case CHECK -> recovery.refuseIfSettling(r.op().wire(), r.guest());
            case ABORT -> recovery.refuseIfSettling(r.op().wire(), r.id());
            case STATUS, HISTORY, EXPORTS, UNDRAIN -> {
                // they change no guest: undrain only lets later moves onto a host
            }
        }
    }

    private RebalanceReport drain(ApiRequest r, Consumer<ProgressReport> events) throws ApiException, InterruptedException {
        String host = host(r);
        try {
            return jobs.drain(host, e -> events.accept(Reports.of(e)));
        } catch (IOException e) {
            throw new ApiException(ApiError.INTERNAL, "cannot keep " + host + "'s maintenance in the state directory: "
                    + e.getMessage());
        }
    }

    private MaintenanceReport undrain(ApiRequest r) throws ApiException {
        String host = host(r);
        try {
            return jobs.undrain(host);
        } catch (IOException e) {
            throw new ApiException(ApiError.INTERNAL, "cannot end " + host + "'s maintenance in the state directory: "
                    + e.getMessage());
        }
    }

    /** The request's host; a host the inventory does not know is a bad request. */
    private String host(ApiRequest r) throws ApiException {
        if (blank(r.host())) {
            throw new ApiException(ApiError.BAD_REQUEST, r.op().wire() + " needs 'host'");
        }
        if (inventory.host(r.host()).isEmpty()) {
            throw new ApiException(ApiError.BAD_REQUEST, "there is no host " + r.host() + " in the inventory; known hosts: "
                    + String.join(", ", inventory.hostsInOrder().stream().map(Host::name).toList()));
        }
        return r.host();
    }

    private static OptionalInt maxMoves(ApiRequest r) throws ApiException {
        if (r.maxMoves() == null) {
            return OptionalInt.empty();
        }
        if (r.maxMoves() < 0) {
            throw new ApiException(ApiError.BAD_REQUEST, "max_moves must be 0 or more, not " + r.maxMoves());
        }
        return OptionalInt.of(r.maxMoves());
    }

    private MigrationOrder order(ApiRequest r) throws ApiException {
        if (blank(r.guest()) || blank(r.destination())) {
            throw new ApiException(ApiError.BAD_REQUEST, r.op().wire() + " needs 'guest' and 'destination'");
        }
        MigrationOrder order = MigrationOrder.of(r.guest(), r.destination());
        if (r.cutover() == null) {
            return order;
        }
        CutoverMode mode;
        try {
            mode = CutoverMode.valueOf(r.cutover().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiError.BAD_REQUEST, "cutover '" + r.cutover() + "' is not fast or fenced");
        }
        return order.withPolicy(inventory.policy().withCutover(mode));
    }

    private CheckReport check(ApiRequest r) throws ApiException, InterruptedException {
        Optional<Refusal> refusal = engine.check(order(r));
        return new CheckReport(r.guest(), r.destination(), refusal.isEmpty(),
                refusal.map(x -> Reports.word(x.check())).orElse(null), refusal.map(Refusal::reason).orElse(""));
    }

    private AbortReport abort(ApiRequest r) throws ApiException {
        if (blank(r.id())) {
            throw new ApiException(ApiError.BAD_REQUEST, "abort needs 'id': a migration id (m-...) or a guest name");
        }
        if (!engine.abort(r.id(), "aborted by the operator (aoemigrate abort " + r.id() + ")")) {
            throw new ApiException(ApiError.NOT_FOUND, "no migration " + r.id() + " is running (by id or guest); "
                    + "'aoemigrate status' lists those that are");
        }
        return new AbortReport(r.id(), true);
    }

    private HistoryReport history() throws ApiException {
        try {
            return new HistoryReport(journal.history().stream().map(Reports::of).toList(), jobs.runs().runs());
        } catch (IOException e) {
            throw new ApiException(ApiError.INTERNAL, "cannot read the journal: " + e.getMessage());
        }
    }

    private RecoverReport recover(ApiRequest r, Consumer<ProgressReport> events) throws ApiException, InterruptedException {
        Optional<String> which = blank(r.id()) ? Optional.empty() : Optional.of(r.id());
        List<RecoveryOutcome> outcomes;
        try {
            outcomes = engine.recover(which, e -> events.accept(Reports.of(e)));
        } catch (IOException e) {
            throw new ApiException(ApiError.INTERNAL, "cannot recover: the journal cannot be read or written: " + e.getMessage());
        }
        if (which.isPresent() && outcomes.isEmpty()) {
            throw new ApiException(ApiError.NOT_FOUND, "no open migration " + which.get() + " (by id or guest) that is not"
                    + " running now; 'aoemigrate history' lists every migration and whether it is open");
        }
        return Reports.of(outcomes);
    }

    private List<StatusReport.HostStatus> hosts() {
        List<StatusReport.HostStatus> hosts = new ArrayList<>();
        // with the runtime maintenance of drain
        for (Host h : jobs.current().hostsInOrder()) {
            try {
                Map<String, DomainState> domains = hypervisors.of(h).domains();
                hosts.add(new StatusReport.HostStatus(h.name(), true, h.maintenance(), null, domains.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(d -> new StatusReport.GuestStatus(d.getKey(), Reports.word(d.getValue()))).toList()));
            } catch (HypervisorException e) {
                hosts.add(new StatusReport.HostStatus(h.name(), false, h.maintenance(), e.getMessage(), List.of()));
            }
        }
        return hosts;
    }

    private List<ExportReport> exports() {
        return inventory.exports().values().stream().sorted(Comparator.comparing(ExportDisk::address))
                .map(d -> Reports.of(inventory, d, target.export(d.address()))).toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
