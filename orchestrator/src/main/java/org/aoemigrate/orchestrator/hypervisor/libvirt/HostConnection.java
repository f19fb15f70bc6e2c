package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException;
import org.aoemigrate.orchestrator.hypervisor.HypervisorException.Kind;
import org.aoemigrate.orchestrator.hypervisor.LifecycleListener;
import org.aoemigrate.orchestrator.hypervisor.Subscription;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The connection to one host's libvirt: opened on first use, replaced when it has died, closed
 * once at shutdown. One connection serves every thread (libvirt's client is thread-safe).
 *
 * <p>A dead connection is not closed at once: another thread may still be inside a call on it,
 * and libvirt-java's {@code close()} pulls the pointer from under it. It is closed at shutdown.
 */
final class HostConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HostConnection.class.getName());

    /** A probe every 5 s, 6 unanswered ones end the connection: 30 s, longer than any libvirtd stall seen. */
    private static final int KEEPALIVE_INTERVAL_S = 5;
    private static final int KEEPALIVE_COUNT = 6;

    private final String host;
    private final String uri;
    private final LifecycleFanOut events;
    private final List<LibvirtConnection> dead = new ArrayList<>();
    private LibvirtConnection current;
    private boolean closed;

    HostConnection(String host, String uri, Executor eventDelivery) {
        this.host = host;
        this.uri = uri;
        this.events = new LifecycleFanOut(host, eventDelivery);
    }

    String uri() {
        return uri;
    }

    /** The live connection, opening a new one if there is none or it died; UNREACHABLE if that fails. */
    synchronized LibvirtConnection get() throws HypervisorException {
        if (closed) {
            throw new HypervisorException(Kind.UNREACHABLE, host, "the connection to " + uri + " is closed (shutting down)");
        }
        if (current != null && current.alive()) {
            return current;
        }
        if (current != null) {
            LOG.log(Level.WARNING, host + ": the connection to " + uri + " died; reconnecting");
            dead.add(current);
            current = null;
        }
        current = open();
        return current;
    }

    /** Port listeners hear every host event from now on, across reconnections. */
    Subscription subscribe(LifecycleListener listener) throws HypervisorException {
        get();
        return events.add(listener);
    }

    private LibvirtConnection open() throws HypervisorException {
        LibvirtConnection c;
        try {
            c = new LibvirtConnection(uri);
        } catch (LibvirtException e) {
            throw new HypervisorException(Kind.UNREACHABLE, host, "cannot connect to libvirt at " + uri + ": "
                    + e.getError().getMessage() + "; is libvirtd running there and the URI right?", e);
        }
        try {
            keepAlive(c);
            // registered here, on the thread that made the connection, before it can deliver anything
            c.addLifecycleListener(events);
            return c;
        } catch (LibvirtException e) {
            HypervisorException failure = LibvirtErrors.of(e, host, "set up the connection to " + uri, c);
            closeQuietly(c);
            throw failure;
        }
    }

    /** Local drivers (test:///) have no peer to probe and refuse keepalive: nothing to keep alive. */
    private static void keepAlive(LibvirtConnection c) throws LibvirtException {
        try {
            c.setKeepAlive(KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT);
        } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_SUPPORT)) {
                throw e;
            }
        }
    }

    /** Deregisters the listener (libvirt keeps a connection with callbacks referenced) and closes. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            dead.add(current);
            current = null;
        }
        dead.forEach(this::closeQuietly);
        dead.clear();
    }

    private void closeQuietly(LibvirtConnection c) {
        try {
            c.removeLifecycleListener(events);
        } catch (LibvirtException | RuntimeException e) {
            LOG.log(Level.DEBUG, host + ": cannot deregister the lifecycle listener: " + e.getMessage());
        }
        try {
            c.close();
        } catch (LibvirtException e) {
            LOG.log(Level.DEBUG, host + ": cannot close the connection to " + uri + ": " + e.getMessage());
        }
    }
}
