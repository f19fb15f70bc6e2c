package org.aoemigrate.orchestrator.hypervisor.libvirt;

import java.lang.System.Logger.Level;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

/**
 * libvirt's process-wide setup, done once before the first connection.
 *
 * <ul>
 * <li>The default event loop, registered before any {@code Connect} (libvirt requires it) and run
 * on its own daemon thread. Without a running loop nobody answers the daemon's keepalive probes
 * and libvirt drops the connection in the middle of a long migration (apache/cloudstack#8437).
 * The loop also delivers domain events.</li>
 * <li>A silent error handler: libvirt otherwise prints every error to stderr, although each one
 * also reaches the caller as an exception.</li>
 * </ul>
 */
final class LibvirtRuntime {

    private static final System.Logger LOG = System.getLogger(LibvirtRuntime.class.getName());

    /** Held for the life of the process: libvirt keeps calling it, and JNA frees unreachable callbacks. */
    private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> { };

    private static boolean started;

    private LibvirtRuntime() {
    }

    static synchronized void start() {
        if (started) {
            return;
        }
        try {
            Connect.setErrorCallback(SILENT);
            Library.initEventLoop();
        } catch (LibvirtException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot set up libvirt's client library (is libvirt0 installed?): "
                    + e.getMessage(), e);
        }
        Thread loop = new Thread(LibvirtRuntime::runEventLoop, "libvirt-event-loop");
        loop.setDaemon(true);
        loop.start();
        started = true;
    }

    private static void runEventLoop() {
        try {
            Library.runEventLoop();
        } catch (LibvirtException e) {
            LOG.log(Level.ERROR, "libvirt's event loop stopped; connections will miss keepalives and events: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
