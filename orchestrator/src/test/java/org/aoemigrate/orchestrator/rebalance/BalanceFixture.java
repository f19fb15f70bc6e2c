package org.aoemigrate.orchestrator.rebalance;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.engine.MigrationEngine;
import org.aoemigrate.orchestrator.engine.StorageFence;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.engine.check.CheckOutcome;
import org.aoemigrate.orchestrator.hypervisor.FakeCluster;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;

/**
 * Three fake hosts (8 CPUs each, 2 GiB for guests by the inventory), one export per guest
 * ({@code gN} has {@code e1.N}), and the daemon's balance jobs over an engine with the given limits.
 */
final class BalanceFixture {

    /** A fence that only remembers: the engine's reservations, for the record. */
    static final class MemoryFence implements StorageFence {
        private final Map<ExportAddress, Set<MacAddress>> held = new HashMap<>();

        @Override
        public synchronized void reserve(ExportAddress export, Set<MacAddress> macs) {
            held.put(export, Set.copyOf(macs));
        }

        @Override
        public synchronized Set<MacAddress> read(ExportAddress export) {
            return held.getOrDefault(export, Set.of());
        }
    }

    static final int GUESTS = 8;

    final Path dir;
    final Inventory inventory;
    final FakeCluster cluster = new FakeCluster();
    final FileMigrationJournal journal;
    final MaintenanceHosts maintenance;
    final MigrationEngine engine;
    final BalanceJobs jobs;

    /**
     * @param limits    the inventory's {@code policy.limits} flow mapping, e.g. {@code {global: 2, perHostOutbound: 1, perHostInbound: 1}}
     * @param extra     more inventory (a {@code rebalance:} section), or ""
     * @param guestMiB  memory for guests per host, by the inventory
     */
    BalanceFixture(Path dir, String limits, long guestMiB, String extra) throws Exception {
        this.dir = dir;
        StringBuilder exports = new StringBuilder();
        for (int n = 1; n <= GUESTS; n++) {
            exports.append("  g").append(n).append("-disk: {shelf: 1, slot: ").append(n)
                    .append(", image: /srv/g").append(n).append(".img, hosts: [hostA, hostB, hostC]}\n");
        }
        String text = """
                hosts:
                  hostA: {libvirtUri: 'test:///a', migrationUri: 'qemu+tcp://10.8.0.1/system', exec: 'true', guestMemoryMiB: %d, aoe: [{interface: aoe0, mac: '02:00:00:00:00:0a'}]}
                  hostB: {libvirtUri: 'test:///b', migrationUri: 'qemu+tcp://10.8.0.2/system', exec: 'true', guestMemoryMiB: %d, aoe: [{interface: aoe0, mac: '02:00:00:00:00:0b'}]}
                  hostC: {libvirtUri: 'test:///c', migrationUri: 'qemu+tcp://10.8.0.3/system', exec: 'true', guestMemoryMiB: %d, aoe: [{interface: aoe0, mac: '02:00:00:00:00:0c'}]}
                storage: {stateDir: '%s', interfaces: [{interface: st0, mac: '02:00:00:00:00:01'}]}
                exports:
                %spolicy:
                  limits: %s
                %s""".formatted(guestMiB, guestMiB, guestMiB, dir.resolve("state"), exports, limits, extra);
        inventory = InventoryReader.parse("balance.yaml", text);
        for (String h : List.of("hostA", "hostB", "hostC")) {
            cluster.addHost(h, inventory.host(h).orElseThrow().migrationUri());
        }
        journal = new FileMigrationJournal(dir.resolve("journal.jsonl"));
        maintenance = MaintenanceHosts.load(dir.resolve("maintenance.json"));
        engine = new MigrationEngine(() -> maintenance.apply(inventory), cluster, new MemoryFence(),
                (host, export) -> CheckOutcome.PASSED, journal, slowed(cluster.ticker()), Duration.ofMillis(500));
        jobs = new BalanceJobs(inventory, maintenance, engine, new ClusterObserver(cluster, journal, cluster.ticker(),
                Duration.ofSeconds(2)), new RunLog(dir.resolve("runs.jsonl")), cluster.ticker(), Duration.ofMillis(20));
    }

    /**
     * The cluster's simulated time, plus 5 ms of real time per sleep: a migration then lasts long enough
     * in real time for the next one to start beside it, as on real hosts.
     */
    private static Ticker slowed(Ticker simulated) {
        return new Ticker() {
            @Override
            public Instant now() {
                return simulated.now();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                simulated.sleep(d);
                Thread.sleep(5);
            }
        };
    }

    /** Runs guest {@code gN} on {@code host}: {@code mib} of memory, 1 vCPU, its disk e1.N. */
    void run(int n, String host, long mib) {
        cluster.runGuest(host, "<domain type='kvm'><name>g" + n + "</name><memory unit='KiB'>" + mib * 1024 + "</memory>"
                + "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='block' device='disk'>"
                + "<driver name='qemu' type='raw' cache='none'/><source dev='/dev/etherd/e1." + n + "'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>", 1L << 20);
    }

    /** The host each of g1..gN runs on now, by guest. */
    Map<String, String> placement() {
        Map<String, String> where = new HashMap<>();
        for (int n = 1; n <= GUESTS; n++) {
            List<String> on = cluster.activeOn("g" + n);
            if (!on.isEmpty()) {
                where.put("g" + n, String.join(",", on));
            }
        }
        return where;
    }

    /** Guests per host now. */
    Map<String, Integer> counts() {
        Map<String, Integer> c = new HashMap<>();
        placement().values().forEach(h -> c.merge(h, 1, Integer::sum));
        return c;
    }

    /** The timeline's migration starts. */
    List<String> migrationsStarted() {
        List<String> l = new ArrayList<>();
        cluster.timeline().stream().filter(e -> e.startsWith("migrate ")).forEach(l::add);
        return l;
    }

    MaintenanceHosts reloadMaintenance() throws IOException {
        return MaintenanceHosts.load(dir.resolve("maintenance.json"));
    }
}
