package org.aoemigrate.orchestrator.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The fake must behave like libvirt where the engine relies on it, or the engine tests prove nothing. */
class FakeClusterTest {

    private static final String VM = "<domain type='kvm'><name>vm1</name><memory unit='KiB'>524288</memory></domain>";

    private final FakeCluster cluster = new FakeCluster();
    private final FakeHost a = cluster.addHost("hostA", "qemu+tcp://a/system");
    private final FakeHost b = cluster.addHost("hostB", "qemu+tcp://b/system");

    private Hypervisor hv(FakeHost h) {
        return new FakeHypervisor(cluster, h);
    }

    private static MigrationCall call(String uri, MigrationFlag... extra) {
        Set<MigrationFlag> flags = new java.util.HashSet<>(List.of(MigrationFlag.LIVE, MigrationFlag.PEER2PEER,
                MigrationFlag.PERSIST_DEST, MigrationFlag.UNDEFINE_SOURCE));
        flags.addAll(List.of(extra));
        return new MigrationCall(uri, flags, 0);
    }

    @Test
    void aConvergingMigrationMovesTheGuestInSimulatedTime() throws Exception {
        cluster.runGuest("hostA", VM, 1L << 20);
        List<LifecycleEvent> events = new ArrayList<>();
        hv(a).addLifecycleListener(events::add);
        hv(b).addLifecycleListener(events::add);
        CompletableFuture<Void> job = hv(a).migrate("vm1", call("qemu+tcp://b/system"));

        cluster.advance(Duration.ofSeconds(2));
        assertThat(job).isNotDone();
        JobStats s = hv(a).jobStats("vm1").orElseThrow();
        assertThat(s.dataProcessed()).isEqualTo(200L << 20);
        assertThat(s.iteration()).isZero();
        cluster.advance(Duration.ofSeconds(4));

        assertThat(job).isCompleted();
        assertThat(cluster.activeOn("vm1")).containsExactly("hostB");
        assertThat(hv(a).domainState("vm1")).isEmpty();
        assertThat(hv(b).completedJobStats("vm1").orElseThrow().downtimeMs()).isPresent();
        assertThat(events).extracting(e -> e.host() + " " + e.type()).containsExactly("hostA SUSPENDED", "hostA STOPPED",
                "hostB STARTED", "hostB RESUMED");
    }

    @Test
    void aGuestDirtyingFasterThanTheLinkNeverConverges() throws Exception {
        cluster.runGuest("hostA", VM, 200L << 20);
        CompletableFuture<Void> job = hv(a).migrate("vm1", call("qemu+tcp://b/system"));
        cluster.advance(Duration.ofSeconds(60));
        assertThat(job).isNotDone();
        hv(a).abortJob("vm1");
        assertThat(job).isCompletedExceptionally();
        assertThat(cluster.activeOn("vm1")).containsExactly("hostA");
    }

    @Test
    void pausedFlagLeavesTheGuestPausedOnTheDestination() throws Exception {
        cluster.runGuest("hostA", VM, 0);
        CompletableFuture<Void> job = hv(a).migrate("vm1", call("qemu+tcp://b/system", MigrationFlag.PAUSED));
        cluster.advance(Duration.ofSeconds(10));
        assertThat(job).isCompleted();
        assertThat(hv(b).domainState("vm1")).contains(DomainState.PAUSED);
    }

    @Test
    void refusesToRunAGuestOnASecondHost() throws Exception {
        cluster.runGuest("hostA", VM, 0);
        assertThatThrownBy(() -> cluster.runGuest("hostB", VM, 0)).hasMessageContaining("split brain");
        cluster.defineGuest("hostB", VM);
        assertThatThrownBy(() -> hv(b).resume("vm1")).hasMessageContaining("split brain");
        assertThat(cluster.splitBrains()).hasSize(2);
    }

    @Test
    void aDeadHostAnswersNothing() {
        cluster.killHost("hostB");
        assertThatThrownBy(() -> hv(b).domains()).isInstanceOfSatisfying(HypervisorException.class,
                e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.UNREACHABLE));
    }
}
