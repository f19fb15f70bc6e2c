package org.aoemigrate.orchestrator.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.aoemigrate.orchestrator.engine.MigrationEngine.ActiveMigration;
import org.aoemigrate.orchestrator.planner.Cluster;
import org.aoemigrate.orchestrator.planner.ObservedGuest;
import org.aoemigrate.orchestrator.planner.ObservedHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the planner is given: hosts, guests, CPU use from two readings, movability, placement. */
class ClusterObserverTest {

    @TempDir
    Path dir;

    private static Map<String, ObservedGuest> guests(Cluster c) {
        return c.guests().stream().collect(Collectors.toMap(ObservedGuest::name, Function.identity()));
    }

    @Test
    void readsCapacityMemoryVcpusAndRecentCpuUse() throws Exception {
        BalanceFixture f = new BalanceFixture(dir, "{global: 2}", 2048,
                "rebalance: {pinned: [g2], antiAffinity: {pair: [g1, g2]}}\n");
        f.cluster.runGuest("hostA", "<domain type='kvm'><name>g1</name><memory unit='MiB'>512</memory><vcpu>2</vcpu>"
                + "<devices><disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                + "<source dev='/dev/etherd/e1.1'/><target dev='vda'/></disk></devices></domain>", 0);
        f.cluster.setCpuLoad("g1", 0.75);
        f.run(2, "hostB", 256);
        List<String> warnings = new ArrayList<>();

        Cluster c = new ClusterObserver(f.cluster, f.journal, f.cluster.ticker(), Duration.ofSeconds(2))
                .observe(f.inventory, List.of(), warnings::add);

        assertThat(warnings).isEmpty();
        assertThat(c.hosts()).extracting(ObservedHost::name).containsExactly("hostA", "hostB", "hostC");
        assertThat(c.hosts()).allSatisfy(h -> {
            assertThat(h.memoryBytes()).as("guestMemoryMiB").isEqualTo(2048L << 20);
            assertThat(h.cpus()).isEqualTo(8);
            assertThat(h.maintenance()).isFalse();
        });
        ObservedGuest g1 = guests(c).get("g1");
        assertThat(g1.host()).isEqualTo("hostA");
        assertThat(g1.memoryBytes()).isEqualTo(512L << 20);
        assertThat(g1.vcpus()).isEqualTo(2);
        assertThat(g1.cpuCores()).as("3/4 of 2 vCPUs").isCloseTo(1.5, within(0.05));
        assertThat(g1.aoeDisksOnly()).isTrue();
        assertThat(g1.pinned()).isFalse();
        assertThat(g1.antiAffinity()).containsExactly("pair");
        assertThat(g1.lastMoved()).isEmpty();
        assertThat(guests(c).get("g2").pinned()).isTrue();
        assertThat(guests(c).get("g2").cpuCores()).isZero();
        assertThat(c.cpuCompatibility().canRun(g1.cpuKey(), "hostC")).as("its export may be seen by hostC").isTrue();
    }

    @Test
    void aGuestWithALocalDiskOrAnExportOthersCannotSeeStaysWhereItIs() throws Exception {
        BalanceFixture f = new BalanceFixture(dir, "{global: 2}", 2048, "");
        f.cluster.runGuest("hostA", "<domain type='kvm'><name>local</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                + "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
                + "<source file='/var/lib/libvirt/images/local.qcow2'/><target dev='vda'/></disk></devices></domain>", 0);
        f.cluster.runGuest("hostA", "<domain type='kvm'><name>unknown</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>"
                + "<devices><disk type='block' device='disk'><driver name='qemu' type='raw' cache='none'/>"
                + "<source dev='/dev/etherd/e7.7'/><target dev='vda'/></disk></devices></domain>", 0);

        Cluster c = new ClusterObserver(f.cluster, f.journal, f.cluster.ticker(), Duration.ofSeconds(1))
                .observe(f.inventory, List.of(), w -> { });

        assertThat(guests(c).get("local").aoeDisksOnly()).isFalse();
        assertThat(guests(c).get("unknown").aoeDisksOnly()).as("e7.7 is no inventory export").isFalse();
    }

    @Test
    void anUnreachableHostIsLeftOutWithAWarningAndMaintenanceIsPassedOn() throws Exception {
        BalanceFixture f = new BalanceFixture(dir, "{global: 2}", 2048, "");
        f.run(1, "hostA", 256);
        f.cluster.killHost("hostC");
        List<String> warnings = new ArrayList<>();

        Cluster c = new ClusterObserver(f.cluster, f.journal, f.cluster.ticker(), Duration.ofSeconds(1))
                .observe(f.inventory.withMaintenance(java.util.Set.of("hostB")), List.of(), warnings::add);

        assertThat(c.hosts()).extracting(ObservedHost::name).containsExactly("hostA", "hostB");
        assertThat(c.hosts().get(1).maintenance()).isTrue();
        assertThat(warnings).singleElement().asString().startsWith("hostC is left out of the plan: its libvirt does not answer");
    }

    @Test
    void aGuestOnTwoHostsIsCountedOnItsDestinationWhileItMovesAndRefusedOtherwise() throws Exception {
        BalanceFixture f = new BalanceFixture(dir, "{global: 2}", 2048, "");
        f.run(1, "hostA", 256);
        f.cluster.forceSecondCopy("g1", "hostB");
        ClusterObserver observer = new ClusterObserver(f.cluster, f.journal, f.cluster.ticker(), Duration.ofSeconds(1));

        Cluster moving = observer.observe(f.inventory, List.of(new ActiveMigration("m-1", "g1", "hostA", "hostB")), w -> { });
        assertThat(guests(moving).get("g1").host()).isEqualTo("hostB");
        assertThat(guests(moving).get("g1").pinned()).isTrue();

        assertThatThrownBy(() -> observer.observe(f.inventory, List.of(), w -> { }))
                .isInstanceOf(ObservationException.class)
                .hasMessage("g1 is active on hostA and hostB and no migration of it runs: split brain; nothing is planned"
                        + " until it is settled (aoemigrate recover)");
    }
}
