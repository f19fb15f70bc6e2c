package org.aoemigrate.orchestrator.daemon;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.aoemigrate.aoe.target.Export;
import org.aoemigrate.aoe.wire.AoeConstants;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.api.ExportReport;
import org.aoemigrate.orchestrator.api.HistoryReport;
import org.aoemigrate.orchestrator.api.MigrationReport;
import org.aoemigrate.orchestrator.api.ProgressReport;
import org.aoemigrate.orchestrator.api.RecoverReport;
import org.aoemigrate.orchestrator.engine.MigrationEvent;
import org.aoemigrate.orchestrator.engine.MigrationResult;
import org.aoemigrate.orchestrator.engine.RecoveryOutcome;
import org.aoemigrate.orchestrator.hypervisor.JobStats;
import org.aoemigrate.orchestrator.inventory.AoePort;
import org.aoemigrate.orchestrator.inventory.ExportDisk;
import org.aoemigrate.orchestrator.inventory.Host;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.journal.MigrationHistory;

/** The engine's and target's values as the API's reports: the one place that knows both. */
final class Reports {

    private Reports() {
    }

    static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static MigrationReport of(MigrationResult r) {
        return new MigrationReport(r.id(), r.guest(), r.source().orElse(null), r.destination(), word(r.outcome()), r.reason(),
                r.failedCheck().map(Reports::word).orElse(null), word(r.cutover()), r.totalMs(), r.downtimeMs(), r.bytes(),
                r.iterations(), r.maxDowntimeMs());
    }

    static RecoverReport of(List<RecoveryOutcome> outcomes) {
        return new RecoverReport(outcomes.stream().map(o -> new RecoverReport.Item(o.id(), o.guest(), blankToNull(o.source()),
                o.destination(), o.found(), o.runsOn().orElse(null), o.settled(), o.action())).toList());
    }

    static ProgressReport of(MigrationEvent e) {
        return new ProgressReport(e.at().toString(), e.id(), e.guest(), word(e.kind()), e.message(),
                e.stats().map(Reports::job).orElse(null));
    }

    private static ProgressReport.JobProgress job(JobStats s) {
        return new ProgressReport.JobProgress(s.elapsed().toMillis(), s.dataTotal(), s.dataProcessed(), s.dataRemaining(),
                s.dirtyRateBytesPerSec(), s.iteration(), s.postCopy());
    }

    static HistoryReport.Item of(MigrationHistory h) {
        return new HistoryReport.Item(h.id(), h.first().guest(), blankToNull(h.entries().stream().map(e -> e.source())
                .filter(s -> s != null && !s.isEmpty()).reduce((a, b) -> b).orElse("")), h.first().destination(),
                h.first().at().toString(), h.last().at().toString(), word(h.last().step()), h.isOpen(), h.last().detail());
    }

    static ExportReport of(Inventory inventory, ExportDisk disk, Optional<Export> served) {
        List<String> interfaces = inventory.storage().ports().stream().map(AoePort::name).toList();
        List<String> hosts = disk.hosts().stream().sorted().toList();
        if (served.isEmpty()) {
            return new ExportReport(disk.name(), disk.address().toString(), disk.image().toString(), false, null, null,
                    List.of(), List.of(), hosts, interfaces);
        }
        Export e = served.get();
        List<MacAddress> holders = e.state().reservations().holders();
        return new ExportReport(disk.name(), disk.address().toString(), disk.image().toString(), true,
                e.store().sectors() * AoeConstants.SECTOR_SIZE, configText(e), holders.stream().map(MacAddress::toString).toList(),
                holders.stream().map(m -> owner(inventory, m)).distinct().toList(), hosts, interfaces);
    }

    /** The config string as sent on the wire; non-printable bytes as {@code 0x...}. */
    private static String configText(Export e) {
        String s = e.state().config().toString();
        return s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String owner(Inventory inventory, MacAddress mac) {
        return inventory.hostsInOrder().stream().filter(h -> h.macs().contains(mac)).map(Host::name).findFirst()
                .orElse(mac.toString());
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
