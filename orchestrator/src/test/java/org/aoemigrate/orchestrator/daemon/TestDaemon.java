package org.aoemigrate.orchestrator.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.aoemigrate.aoe.link.MemoryHub;
import org.aoemigrate.aoe.target.ExportAddress;
import org.aoemigrate.aoe.target.LinkOpener;
import org.aoemigrate.aoe.wire.MacAddress;
import org.aoemigrate.orchestrator.api.ApiClient;
import org.aoemigrate.orchestrator.api.ApiRequest;
import org.aoemigrate.orchestrator.api.StatusReport;
import org.aoemigrate.orchestrator.engine.Ticker;
import org.aoemigrate.orchestrator.engine.check.CheckOutcome;
import org.aoemigrate.orchestrator.hypervisor.FakeCluster;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.aoemigrate.orchestrator.inventory.Inventory;
import org.aoemigrate.orchestrator.inventory.InventoryReader;
import org.aoemigrate.orchestrator.journal.FileMigrationJournal;
import org.aoemigrate.orchestrator.journal.JournalEntry;
import org.aoemigrate.orchestrator.journal.JournalStep;

/**
 * A real daemon in this process, over the engine's fake cluster and an in-memory Ethernet hub:
 * hostA, hostB (and hostC, which has too little memory for any guest), storage port st0, export
 * vm1-disk at e1.0 (vm1's, running on hostA) and vm2-disk at e1.1 (vm2's: 4 GiB that dirty
 * memory faster than the link sends it, so its migration never converges by itself).
 *
 * <p>Simulated time: each engine sleep advances the cluster, plus 5 ms of real time, so a
 * migration takes milliseconds but another client still gets a word in. {@link #holdClock} stops
 * that time: whatever sleeps on it (a recovery waiting for libvirt's job) waits until
 * {@link #releaseClock}.
 */
public final class TestDaemon implements AutoCloseable {

    public static final MacAddress STORAGE_MAC = MacAddress.parse("02:00:00:00:01:01");
    public static final MacAddress HOST_A_MAC = MacAddress.parse("02:00:00:00:00:0a");
    public static final MacAddress HOST_B_MAC = MacAddress.parse("02:00:00:00:00:0b");
    public static final ExportAddress VM1_DISK = new ExportAddress(1, 0);

    public final Path stateDir;
    public final Path config;
    public final FakeCluster cluster = new FakeCluster();
    public final MemoryHub hub = new MemoryHub();
    public final StringWriter log = new StringWriter();
    public final Inventory inventory;
    public final Daemon daemon;
    private volatile CountDownLatch clockHeld = new CountDownLatch(0);

    private TestDaemon(Path dir, Consumer<TestDaemon> beforeStart) throws Exception {
        stateDir = dir.resolve("state");
        config = dir.resolve("inventory.yaml");
        Path image1 = image(dir.resolve("vm1.img"));
        Path image2 = image(dir.resolve("vm2.img"));
        java.nio.file.Files.writeString(config, """
                hosts:
                  hostA: {libvirtUri: 'test:///hostA', migrationUri: 'qemu+tcp://10.9.0.1/system', exec: 'true', aoe: [{interface: aoe0, mac: '%s'}]}
                  hostB: {libvirtUri: 'test:///hostB', migrationUri: 'qemu+tcp://10.9.0.2/system', exec: 'true', aoe: [{interface: aoe0, mac: '%s'}]}
                  hostC: {libvirtUri: 'test:///hostC', migrationUri: 'qemu+tcp://10.9.0.3/system', exec: 'true', aoe: [{interface: aoe0, mac: '02:00:00:00:00:0c'}]}
                storage:
                  stateDir: '%s'
                  interfaces: [{interface: st0, mac: '%s'}]
                exports:
                  vm1-disk: {shelf: 1, slot: 0, image: '%s', hosts: [hostA, hostB, hostC]}
                  vm2-disk: {shelf: 1, slot: 1, image: '%s', hosts: [hostA, hostB, hostC]}
                """.formatted(HOST_A_MAC, HOST_B_MAC, stateDir, STORAGE_MAC, image1, image2));
        inventory = InventoryReader.read(config);
        for (String h : inventory.hosts().keySet()) {
            cluster.addHost(h, inventory.host(h).orElseThrow().migrationUri());
        }
        cluster.host("hostC").memory(256L << 20);
        cluster.runGuest("hostA", guestXml("vm1", 512, "e1.0"), 1L << 20);
        cluster.runGuest("hostA", guestXml("vm2", 4096, "e1.1"), 400L << 20);
        LinkOpener links = (name, frames) -> new LinkOpener.Opened(hub.port(name, STORAGE_MAC, 1500), 16);
        DaemonParts parts = new DaemonParts(cluster, links, (inv, sizes) -> (host, export) -> CheckOutcome.PASSED,
                slowed(cluster.ticker()), Duration.ofMillis(500), Duration.ZERO);
        beforeStart.accept(this);
        daemon = Daemon.start(inventory, new StateLayout(stateDir).socket(), parts, new PrintWriter(log, true));
    }

    /** A daemon that has settled what the journal in {@code dir} left open, if anything: it takes every request. */
    public static TestDaemon start(Path dir) throws Exception {
        TestDaemon d = new TestDaemon(dir, x -> { });
        try {
            d.awaitRecovered();
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
        return d;
    }

    /**
     * A daemon that may still be settling what the journal left open; {@code beforeStart} sets up
     * the cluster the daemon starts on (its fields are set, the daemon not yet).
     */
    public static TestDaemon startRecovering(Path dir, Consumer<TestDaemon> beforeStart) throws Exception {
        return new TestDaemon(dir, beforeStart);
    }

    /**
     * A daemon on the journal of one that died while libvirt was copying vm1 (migration
     * {@code m-0000dead}) to hostB, a copy that libvirt still runs: its recovery waits for that
     * copy with the clock held, until {@link #releaseClock}.
     */
    public static TestDaemon startWhileLibvirtStillMovesVm1(Path dir) throws Exception {
        start(dir).close();
        diedAfter(dir, JournalStep.MIGRATING);
        TestDaemon d = startRecovering(dir, TestDaemon::vm1StillMovingInLibvirt);
        try {
            d.awaitLog("recover at start: m-0000dead vm1: warning: libvirt's migration job of vm1 still runs on hostA");
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
        return d;
    }

    private static void vm1StillMovingInLibvirt(TestDaemon d) {
        d.holdClock();
        try {
            d.cluster.of(d.inventory.host("hostA").orElseThrow()).migrate("vm1", new MigrationCall(d.inventory.host("hostB")
                    .orElseThrow().migrationUri(), EnumSet.of(MigrationFlag.LIVE, MigrationFlag.PEER2PEER,
                            MigrationFlag.PERSIST_DEST, MigrationFlag.UNDEFINE_SOURCE), 16));
        } catch (HypervisorException e) {
            throw new AssertionError(e);
        }
    }

    /** Journals vm1's migration m-0000dead to hostB in the state of {@code dir} up to {@code last}, as a daemon that died then. */
    public static void diedAfter(Path dir, JournalStep last) throws IOException {
        FileMigrationJournal journal = new FileMigrationJournal(new StateLayout(dir.resolve("state")).journal());
        for (JournalStep s : JournalStep.values()) {
            journal.append(new JournalEntry(Instant.now(), "m-0000dead", s, "vm1", s == JournalStep.STARTED ? "" : "hostA",
                    "hostB", ""));
            if (s == last) {
                return;
            }
        }
    }

    /** Until the daemon's log has {@code line}. */
    public void awaitLog(String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!log.toString().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' in the daemon's log after 30 s:\n" + log);
            }
            Thread.sleep(10);
        }
    }

    /** Until {@code status} lists nothing under recovering. */
    public void awaitRecovered() throws Exception {
        ApiClient client = new ApiClient(socket());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!client.call(ApiRequest.of(ApiRequest.Op.STATUS), StatusReport.class).recovering().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon still recovers after 30 s; its log:\n" + log);
            }
            Thread.sleep(20);
        }
    }

    /** Until {@link #releaseClock}, the daemon's sleeps wait (and simulated time stands still). */
    public void holdClock() {
        clockHeld = new CountDownLatch(1);
    }

    public void releaseClock() {
        clockHeld.countDown();
    }

    public Path socket() {
        return daemon.socket();
    }

    private static Path image(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return file;
    }

    private static String guestXml(String name, long memoryMiB, String device) {
        return "<domain type='kvm'><name>" + name + "</name><memory unit='KiB'>" + memoryMiB * 1024 + "</memory>"
                + "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><disk type='block' device='disk'>"
                + "<driver name='qemu' type='raw' cache='none'/><source dev='/dev/etherd/" + device + "'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>";
    }

    private Ticker slowed(Ticker simulated) {
        return new Ticker() {
            @Override
            public Instant now() {
                return simulated.now();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                clockHeld.await();
                simulated.sleep(d);
                Thread.sleep(5);
            }
        };
    }

    @Override
    public void close() {
        releaseClock();
        daemon.close();
    }
}
