package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.aoemigrate.orchestrator.hypervisor.Hypervisor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.Hypervisors;
import org.aoemigrate.orchestrator.inventory.Host;

/**
 * The libvirt connections to the inventory's hosts, over libvirt-java 0.5.4: one per host, at its
 * {@link Host#libvirtUri()}, opened on first use, replaced when it dies or the URI changes, closed
 * by {@link #close()}.
 *
 * <pre>{@code
 * try (LibvirtHypervisors hypervisors = new LibvirtHypervisors()) {
 *     Hypervisor hostA = hypervisors.of(inventory.host("hostA").orElseThrow());
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifecycle events of every host reach the port's listeners in order, on one delivery thread
 * of this object (never on libvirt's event loop).
 */
public final class LibvirtHypervisors implements Hypervisors, AutoCloseable {

    private final Map<String, LibvirtHypervisor> byHost = new HashMap<>();
    private final ExecutorService eventDelivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "libvirt-event-delivery");
        t.setDaemon(true);
        return t;
    });
    private boolean closed;

    /** Sets up libvirt's client library (event loop, quiet errors) once per process. */
    public LibvirtHypervisors() {
        LibvirtRuntime.start();
    }

    /** Connects outside this object's lock: a host that is slow to answer must not hold up the others. */
    @Override
    public Hypervisor of(Host host) throws HypervisorException {
        LibvirtHypervisor hv = hypervisorFor(host);
        hv.connection().get();
        return hv;
    }

    private synchronized LibvirtHypervisor hypervisorFor(Host host) {
        if (closed) {
            throw new IllegalStateException("the libvirt connections are closed");
        }
        LibvirtHypervisor hv = byHost.get(host.name());
        if (hv == null || !hv.connection().uri().equals(host.libvirtUri())) {
            if (hv != null) {
                hv.connection().close();
            }
            hv = new LibvirtHypervisor(host.name(), new HostConnection(host.name(), host.libvirtUri(), eventDelivery));
            byHost.put(host.name(), hv);
        }
        return hv;
    }

    /** Closes every connection; the event-loop thread stays, it belongs to the process. */
    @Override
    public synchronized void close() {
        closed = true;
        byHost.values().forEach(hv -> hv.connection().close());
        byHost.clear();
        eventDelivery.shutdown();
    }
}
