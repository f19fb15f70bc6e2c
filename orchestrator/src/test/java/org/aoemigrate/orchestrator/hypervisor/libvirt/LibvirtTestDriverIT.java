package org.aoemigrate.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.orchestrator.hypervisor.DomainState;
import org.aoemigrate.orchestrator.hypervisor.GuestUsage;
import org.aoemigrate.orchestrator.hypervisor.HostResources;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.aoemigrate.orchestrator.hypervisor.LifecycleEvent;
import org.aoemigrate.orchestrator.hypervisor.MigrationCall;
import org.aoemigrate.orchestrator.hypervisor.MigrationFlag;
import org.aoemigrate.orchestrator.hypervisor.Subscription;
import org.aoemigrate.orchestrator.inventory.Host;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adapter against libvirt's test driver ({@code test:///default}: one running domain "test",
 * 16 CPUs, 3 GiB, network "default", interface "eth1"; state shared by every connection of this
 * process, so each test leaves "test" running). The test driver does not migrate: see LibvirtLabMigrationIT.
 */
class LibvirtTestDriverIT {

    private static final Host TEST_HOST = host("testhost", "test:///default");

    private static LibvirtHypervisors hypervisors;
    private static Hypervisor hv;

    @BeforeAll
    static void connect() throws HypervisorException {
        try {
            hypervisors = new LibvirtHypervisors();
        } catch (IllegalStateException e) {
            assumeTrue(false, "libvirt's client library is missing (scripts/install-deps.sh installs it): " + e.getMessage());
        }
        hv = hypervisors.of(TEST_HOST);
    }

    @AfterAll
    static void close() {
        if (hypervisors != null) {
            hypervisors.close();
        }
    }

    @Test
    void listsTheTestDomainAsRunning() throws Exception {
        assertThat(hv.host()).isEqualTo("testhost");
        assertThat(hv.domains()).containsEntry("test", DomainState.RUNNING);
        assertThat(hv.domainState("test")).contains(DomainState.RUNNING);
    }

    @Test
    void guestUsageGivesTheRunningDomainsVcpusMemoryAndAGrowingCpuTime() throws Exception {
        GuestUsage first = hv.guestUsage().get("test");
        assertThat(first).as("the running domain 'test'").isNotNull();
        assertThat(first.vcpus()).isPositive();
        assertThat(first.memoryBytes()).as("bytes, from getInfo's KiB").isGreaterThan(1L << 20);
        Thread.sleep(20);
        GuestUsage second = hv.guestUsage().get("test");
        assertThat(second.cpuTimeNanos()).isGreaterThan(first.cpuTimeNanos());
    }

    @Test
    void anUnknownGuestHasNoStateHere() throws Exception {
        assertThat(hv.domainState("no-such-guest")).isEmpty();
    }

    @Test
    void anUnknownGuestIsNoDomainNamingHostGuestAndCode() {
        assertThatThrownBy(() -> hv.suspend("no-such-guest"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NO_DOMAIN);
                    assertThat(e.host()).isEqualTo("testhost");
                })
                .hasMessageContaining("testhost: cannot suspend no-such-guest")
                .hasMessageContaining("libvirt error 42, VIR_ERR_NO_DOMAIN");
    }

    @Test
    void domainXmlIsTheLiveDefinition() throws Exception {
        assertThat(hv.domainXml("test")).contains("<name>test</name>").contains("<domain type='test'");
    }

    @Test
    void resourcesAreTheNodesCpusAndMemory() throws Exception {
        HostResources r = hv.resources();
        assertThat(r.cpus()).isEqualTo(16);
        assertThat(r.memoryBytes()).isEqualTo(3_145_728L * 1024);
        assertThat(r.freeMemoryBytes()).isPositive().isLessThanOrEqualTo(r.memoryBytes());
    }

    @Test
    void networksAreTheActiveNetworksAndInterfaces() throws Exception {
        assertThat(hv.networks().networks()).containsExactly("default");
        assertThat(hv.networks().interfaces()).containsExactly("eth1");
    }

    @Test
    void suspendAndResumeChangeTheStateAndEmitLifecycleEvents() throws Exception {
        BlockingQueue<LifecycleEvent> events = new LinkedBlockingQueue<>();
        try (Subscription s = hv.addLifecycleListener(events::add)) {
            hv.suspend("test");
            try {
                assertThat(hv.domainState("test")).contains(DomainState.PAUSED);
                assertThat(events.poll(10, TimeUnit.SECONDS))
                        .isEqualTo(new LifecycleEvent("testhost", "test", LifecycleEvent.Type.SUSPENDED, "PAUSED"));
            } finally {
                hv.resume("test");
            }
            assertThat(hv.domainState("test")).contains(DomainState.RUNNING);
            assertThat(events.poll(10, TimeUnit.SECONDS))
                    .isEqualTo(new LifecycleEvent("testhost", "test", LifecycleEvent.Type.RESUMED, "UNPAUSED"));
        }
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() throws Exception {
        BlockingQueue<LifecycleEvent> unsubscribed = new LinkedBlockingQueue<>();
        BlockingQueue<LifecycleEvent> subscribed = new LinkedBlockingQueue<>();
        hv.addLifecycleListener(unsubscribed::add).close();
        try (Subscription s = hv.addLifecycleListener(subscribed::add)) {
            hv.suspend("test");
            hv.resume("test");
            assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(subscribed.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        // events of one host arrive in order on one thread: the resume above was delivered, so nothing is pending
        assertThat(unsubscribed).isEmpty();
    }

    @Test
    void theTestDriverCannotMigrate() throws Exception {
        CompletableFuture<Void> migration = hv.migrate("test",
                new MigrationCall("test:///default", Set.of(MigrationFlag.LIVE, MigrationFlag.PEER2PEER), 0));
        assertThatThrownBy(() -> migration.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.UNSUPPORTED))
                .hasMessageContaining("cannot migrate test to test:///default");
        assertThat(hv.domainState("test")).contains(DomainState.RUNNING);
    }

    @Test
    void theTestDriverHasNoJobsNorCpuComparison() {
        assertThatThrownBy(() -> hv.jobStats("test"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED));
        assertThatThrownBy(() -> hv.abortJob("test"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED));
        assertThatThrownBy(() -> hv.compareCpu("<cpu><model>qemu64</model></cpu>"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED))
                .hasMessageContaining("virConnectCompareCPU");
        assertThatThrownBy(() -> hv.compareHypervisorCpu("test", "<cpu><model>qemu64</model></cpu>"))
                .isInstanceOfSatisfying(HypervisorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED))
                .hasMessageContaining("virConnectCompareHypervisorCPU");
    }

    @Test
    void aHostWithoutLibvirtIsUnreachable() {
        Host nowhere = host("ghost", "qemu+unix:///system?socket=/nonexistent/aoemigrate-libvirt-sock");
        assertThatThrownBy(() -> hypervisors.of(nowhere))
                .isInstanceOfSatisfying(HypervisorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
                    assertThat(e.host()).isEqualTo("ghost");
                })
                .hasMessageContaining("/nonexistent/aoemigrate-libvirt-sock");
    }

    private static Host host(String name, String uri) {
        return new Host(name, uri, uri, List.of(), List.of(), false);
    }
}
