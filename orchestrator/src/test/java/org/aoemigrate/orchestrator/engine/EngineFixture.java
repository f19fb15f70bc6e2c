package org.aoemigrate.orchestrator.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.orchestrator.hypervisor.FakeCluster;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.aoemigrate.orchestrator.inventory.MigrationPolicy;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.journal.JournalStep;

/**
 * A cluster of five fake hosts (hostM in maintenance), exports e1.0 and e1.1 (vm1's), e2.0
 * (vm2's), e3.0 (vm3's, on hostC), e4.0 (vm4's, on hostB), and an engine over them with a file journal.
 */
final class EngineFixture {

    static final String INVENTORY = """
            hosts:
              hostA: {libvirtUri: 'test:///hostA', migrationUri: 'qemu+tcp://10.77.0.1/system', exec: 'lab exec hostA --', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0a'}]}
              hostB: {libvirtUri: 'test:///hostB', migrationUri: 'qemu+tcp://10.77.0.2/system', exec: 'lab exec hostB --', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0b'}]}
              hostC: {libvirtUri: 'test:///hostC', migrationUri: 'qemu+tcp://10.77.0.3/system', exec: 'lab exec hostC --', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0c'}]}
              hostD: {libvirtUri: 'test:///hostD', migrationUri: 'qemu+tcp://10.77.0.4/system', exec: 'lab exec hostD --', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0d'}]}
              hostM: {libvirtUri: 'test:///hostM', migrationUri: 'qemu+tcp://10.77.0.9/system', exec: 'lab exec hostM --', maintenance: true, aoe: [{interface: aoe0, mac: '02:00:00:00:00:0e'}]}
            storage:
              stateDir: /var/lib/aoemigrate
              interfaces: [{interface: st0, mac: '02:00:00:00:00:01'}]
            exports:
              vm1-root: {shelf: 1, slot: 0, image: /srv/vm1-root.img, hosts: [hostA, hostB, hostC, hostD, hostM]}
              vm1-data: {shelf: 1, slot: 1, image: /srv/vm1-data.img, hosts: [hostA, hostB, hostC, hostD, hostM]}
              vm2-root: {shelf: 2, slot: 0, image: /srv/vm2-root.img, hosts: [hostA, hostB, hostC, hostD]}
              vm3-root: {shelf: 3, slot: 0, image: /srv/vm3-root.img, hosts: [hostA, hostB, hostC, hostD]}
              vm4-root: {shelf: 4, slot: 0, image: /srv/vm4-root.img, hosts: [hostA, hostB, hostC, hostD]}
              only-a: {shelf: 9, slot: 0, image: /srv/only-a.img, hosts: [hostA]}
            policy:
              limits: {global: 2, perHostOutbound: 1, perHostInbound: 1}
            """;

    static final ExportAddress VM1_ROOT = new ExportAddress(1, 0);
    static final ExportAddress VM1_DATA = new ExportAddress(1, 1);
    static final Duration POLL = Duration.ofMillis(500);

    final Inventory inventory;
    final FakeCluster cluster = new FakeCluster();
    final FakeFence fence;
    final ScriptedDestinationCheck check;
    final FileMigrationJournal journal;
    final MigrationEngine engine;
    /** Copy-on-write: a test may read the events while another migration of the same engine still adds some. */
    final List<MigrationEvent> events = new CopyOnWriteArrayList<>();

    EngineFixture(Path dir) throws Exception {
        this(dir, INVENTORY);
    }

    /** Over {@code inventoryText}, a variant of {@link #INVENTORY} with the same hosts. */
    EngineFixture(Path dir, String inventoryText) throws Exception {
        inventory = InventoryReader.parse("engine.yaml", inventoryText);
        for (String h : List.of("hostA", "hostB", "hostC", "hostD", "hostM")) {
            cluster.addHost(h, inventory.host(h).orElseThrow().migrationUri());
        }
        fence = new FakeFence(cluster, inventory);
        check = new ScriptedDestinationCheck(cluster);
        journal = new FileMigrationJournal(dir.resolve("journal.jsonl"));
        engine = new MigrationEngine(() -> inventory, cluster, fence, check, journal, cluster.ticker(), POLL);
    }

    /** vm1: 512 MiB, disks e1.0 and e1.1, network default and bridge br0, CPU Haswell; reserved to hostA. */
    static GuestXml vm1() {
        return GuestXml.guest("vm1").memoryMiB(512).aoeDisk("e1.0", "vda").aoeDisk("e1.1", "vdb").emptyCdrom()
                .network("default").bridge("br0").cpuModel("Haswell");
    }

    /** Runs vm1 on hostA (dirtying {@code dirtyMiBps}) with its disks reserved to hostA, as after an earlier move. */
    void runVm1OnA(long dirtyMiBps) throws Exception {
        runOn("hostA", vm1(), dirtyMiBps);
    }

    void runOn(String host, GuestXml guest, long dirtyMiBps) throws Exception {
        cluster.runGuest(host, guest.xml(), dirtyMiBps << 20);
        DomainDescription d = DomainDescription.parse(guest.xml());
        for (GuestDisk disk : d.disks()) {
            if (disk.source().startsWith("/dev/etherd/")) {
                ExportAddress a = ExportAddress.parse(disk.source().substring("/dev/etherd/".length()));
                if (inventory.exportAt(a).isPresent()) {
                    fence.reserve(a, inventory.host(host).orElseThrow().macs());
                }
            }
        }
    }

    MigrationResult migrate(String guest, String destination) throws InterruptedException {
        return engine.migrate(MigrationOrder.of(guest, destination), events::add);
    }

    MigrationResult migrate(String guest, String destination, MigrationPolicy policy) throws InterruptedException {
        return engine.migrate(MigrationOrder.of(guest, destination).withPolicy(policy), events::add);
    }

    List<JournalStep> steps(String id) throws Exception {
        return journal.entries().stream().filter(e -> e.id().equals(id)).map(e -> e.step()).toList();
    }

    Set<String> holders(ExportAddress a) {
        return fence.holders(a);
    }

    List<MigrationEvent.Kind> kinds() {
        synchronized (events) {
            return events.stream().map(MigrationEvent::kind).toList();
        }
    }

    int indexOf(String timelineEntry) {
        return cluster.timeline().indexOf(timelineEntry);
    }
}
