package org.aoemigrate.orchestrator.hypervisor;

import org.aoemigrate.orchestrator.inventory.Host;

/**
 * The connections to every host's libvirt. It owns them: it opens on first use, reconnects after
 * a loss and closes them at shutdown; callers never close a {@link Hypervisor}.
 */
@FunctionalInterface
public interface Hypervisors {

    /** The host's libvirt; UNREACHABLE if it does not answer. */
    Hypervisor of(Host host) throws HypervisorException;
}
