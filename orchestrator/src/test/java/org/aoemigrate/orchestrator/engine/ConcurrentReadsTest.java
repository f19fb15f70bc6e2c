package org.aoemigrate.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preflight asks the destination's libvirt while the source describes the guest: a read that
 * answers only once the other host has been asked would wait for ever (here: fail after 2 s) if
 * they went one by one.
 */
@Timeout(60)
class ConcurrentReadsTest {

    private static final long PATIENCE_MS = 2000;

    @TempDir
    Path dir;
    EngineFixture f;
    /** Per "host.method": what runs before the fake answers that call. */
    final Map<String, Hook> before = new ConcurrentHashMap<>();

    @FunctionalInterface
    interface Hook {
        void run() throws HypervisorException, InterruptedException;
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(dir);
        f.runVm1OnA(5);
    }

    /** The fake cluster's libvirts, each call first running its hook. */
    private Hypervisors hooked() {
        return host -> {
            Hypervisor fake = f.cluster.of(host);
            return (Hypervisor) Proxy.newProxyInstance(Hypervisor.class.getClassLoader(), new Class<?>[] {Hypervisor.class},
                    (proxy, method, args) -> {
                        Hook hook = before.get(host.name() + "." + method.getName());
                        if (hook != null) {
                            hook.run();
                        }
                        try {
                            return method.invoke(fake, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }

    private MigrationEngine engine() {
        return new MigrationEngine(() -> f.inventory, hooked(), f.fence, f.check, f.journal, f.cluster.ticker(),
                EngineFixture.POLL);
    }

    /** A hook that lets its call through once {@code latch} is open, and fails it (a stalled libvirt) if that takes too long. */
    private static Hook awaiting(CountDownLatch latch, String host, String what) {
        return () -> {
            if (!latch.await(PATIENCE_MS, TimeUnit.MILLISECONDS)) {
                throw new HypervisorException(Kind.FAILED, host, "waited " + PATIENCE_MS + " ms for " + what);
            }
        };
    }

    @Test
    void theDestinationIsAskedWhileTheSourceDescribesTheGuest() throws Exception {
        CountDownLatch networksAsked = new CountDownLatch(1);
        before.put("hostB.networks", networksAsked::countDown);
        before.put("hostA.domainXml", awaiting(networksAsked, "hostA", "hostB's networks to be asked"));

        assertThat(engine().check(MigrationOrder.of("vm1", "hostB"))).isEmpty();
    }

    @Test
    void aSourceLibvirtGoneSinceLocatingRefusesAsLocatingWould() throws Exception {
        before.put("hostA.domainXml", () -> {
            throw new HypervisorException(Kind.UNREACHABLE, "hostA", "Cannot recv data: Connection reset by peer");
        });

        assertThat(engine().check(MigrationOrder.of("vm1", "hostB"))).contains(new Refusal(PreflightCheck.LOCATE,
                "hostA's libvirt (test:///hostA) does not answer: hostA: Cannot recv data: Connection reset by peer"));
        assertThat(f.holders(EngineFixture.VM1_ROOT)).containsExactly("hostA");
    }
}
