package org.aoemigrate.orchestrator.hypervisor;

/**
 * Receives lifecycle events. The libvirt adapter calls it on libvirt's event-loop thread, so it
 * must hand work off and return at once.
 */
@FunctionalInterface
public interface LifecycleListener {

    void onEvent(LifecycleEvent event);
}
