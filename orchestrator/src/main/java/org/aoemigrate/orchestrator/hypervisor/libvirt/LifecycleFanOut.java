package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.aoemigrate.orchestrator.hypervisor.LifecycleEvent;
import org.aoemigrate.orchestrator.hypervisor.LifecycleListener;
import org.aoemigrate.orchestrator.hypervisor.Subscription;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;

/**
 * The one libvirt lifecycle listener of a host, registered once per connection, that passes
 * events on to the port's listeners.
 *
 * <p>Why one: libvirt-java keeps its listeners in plain HashMaps that the event-loop thread reads,
 * so adding and removing there while events flow is a data race; the port's listeners come and go
 * in this thread-safe list instead. It runs on libvirt's event-loop thread, which must never wait,
 * so it only reads the name and hands the event to {@code delivery}.
 */
final class LifecycleFanOut implements org.libvirt.event.LifecycleListener {

    private static final System.Logger LOG = System.getLogger(LifecycleFanOut.class.getName());

    private final String host;
    private final Executor delivery;
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();

    LifecycleFanOut(String host, Executor delivery) {
        this.host = host;
        this.delivery = delivery;
    }

    Subscription add(LifecycleListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public int onLifecycleChange(Domain domain, DomainEvent event) {
        try {
            Optional<LifecycleEvent> converted = LifecycleEvents.of(host, domain.getName(), event);
            converted.ifPresent(e -> delivery.execute(() -> deliver(e)));
        } catch (LibvirtException | RuntimeException e) {
            // an exception must not unwind into libvirt's C event loop
            LOG.log(Level.WARNING, host + ": cannot pass on the libvirt event " + event + ": " + e.getMessage(), e);
        } finally {
            free(domain);
        }
        return 0;
    }

    private void deliver(LifecycleEvent event) {
        for (LifecycleListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, host + ": a lifecycle listener failed on " + event + ": " + e.getMessage(), e);
            }
        }
    }

    /** libvirt-java gives the listener its own reference to the domain and would leave it to a finalizer. */
    private void free(Domain domain) {
        try {
            domain.free();
        } catch (LibvirtException e) {
            LOG.log(Level.DEBUG, host + ": cannot free an event's domain handle: " + e.getMessage());
        }
    }
}
